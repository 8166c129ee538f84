import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { type Event, InjectedFailure } from '../explorer/world.js';
import type { Db, Seed } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord } from './check.js';
import { type Database, type Others, PG_BUDGET, pgScenario } from './pg-check.js';

type Module = Record<string, unknown>;
type Job = { id: number; payload: string };
type Work = (db: Db, handle: (job: Job) => Promise<void>) => Promise<number | null>;

/**
 * What happens to a worker: its handle resolves (`ok`), may throw (`throws`), or its process may
 * be killed in the middle of the job (`dies`: its connection drops, its `work` never returns).
 */
export type Fate = 'ok' | 'throws' | 'dies';

/** Workers polling a queue of `jobs` jobs (ids 1…jobs), each a process of its own with its own connection. */
export interface JobQueueWorkload {
  jobs: number;
  workers: Fate[];
}

const PAYLOADS = ['send invoice 1041', 'resize photos of item 77', 'send invoice 1042'];

/** The jobs' rows, stored with the newest first: a heap scan meets job `jobs` before job 1. */
function seed(jobs: number): Seed {
  const ids = [jobs, ...Array.from({ length: jobs - 1 }, (_, i) => i + 1)];
  return {
    jobs:
      `INSERT INTO jobs (id, payload) VALUES ${ids.map((id) => `(${id}, '${PAYLOADS[id - 1]}')`).join(', ')}; ` +
      `SELECT setval('jobs_id_seq', ${jobs})`,
  };
}

const database = (jobs: number): Database => ({
  name: 'job-queue',
  schema: `CREATE TABLE jobs (
      id serial PRIMARY KEY,
      payload text NOT NULL,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done')))`,
  seed: seed(jobs),
});

const HANDLE = 'handle';
const FINISH = 'handle finishes';

/** The handler a worker gets: its start and its end are steps of their own, so that two can overlap. */
function handler(fate: Fate, others: Others): (job: Job) => Promise<void> {
  const { world } = others;
  return async (job: Job) => {
    const id = typeof job?.id === 'number' ? job.id : Number(job?.id);
    const touches = [{ object: 'job', key: String(id), write: true }];
    await world.op(HANDLE, [id], () => undefined, {
      fallible: fate === 'dies',
      failure: 'crashes',
      onCrash: () => others.terminate(),
      touches,
      describe: () => 'starts',
    });
    await world.op(FINISH, [id], () => undefined, {
      fallible: fate === 'throws',
      touches,
      describe: () => 'done',
    });
  };
}

/** One handle of one job, read back from the run's events. */
interface Handling {
  task: number;
  job: number;
  start: number;
  /** Step at which it finished or failed, or the worker died (Infinity: never). */
  end: number;
  result: 'done' | 'threw' | 'died' | 'running';
}

function handlings(events: readonly Event[]): Handling[] {
  const list: Handling[] = [];
  for (const event of events) {
    const job = event.args[0] as number;
    if (event.op === HANDLE) {
      const died = event.result === 'fails';
      list.push({
        task: event.task,
        job,
        start: event.step,
        end: died ? event.step : Number.POSITIVE_INFINITY,
        result: died ? 'died' : 'running',
      });
    } else if (event.op === FINISH) {
      const h = list.findLast((x) => x.task === event.task && x.job === job);
      if (!h) continue;
      h.end = event.step;
      h.result = event.result === 'fails' ? 'threw' : 'done';
    }
  }
  return list;
}

/**
 * Whether job `job` is not free for worker `task` at step `at`: another worker has it — from that
 * worker's arrival (it may have locked the job before handling it) until it settled or died — or
 * it is done.
 */
function taken(
  job: number,
  task: number,
  at: number,
  list: readonly Handling[],
  outcomes: readonly TaskOutcome[],
): boolean {
  return list.some((h) => {
    if (h.job !== job || h.task === task) return false;
    if (h.result === 'done' && h.end <= at) return true;
    const outcome = outcomes[h.task]!;
    const until =
      h.result === 'died' ? h.end : outcome.settledAt < 0 ? Number.POSITIVE_INFINITY : outcome.settledAt;
    return outcome.arrivedAt <= at && at <= until;
  });
}

function judge(
  workload: JobQueueWorkload,
  outcomes: readonly TaskOutcome[],
  events: readonly Event[],
  status: ReadonlyMap<number, string>,
  advisory: number,
): string | null {
  const name = (task: number) => shortName(outcomes, task);
  const waited = events.find((e) => e.result.startsWith('⏸') && e.task >= 0);
  if (waited) {
    return `${name(waited.task)} ${waited.result.slice(2)}: a worker must pass over a job another worker holds (SKIP LOCKED), not wait for it.`;
  }
  const list = handlings(events);
  const jobs = Array.from({ length: workload.jobs }, (_, i) => i + 1);
  for (const [i, h] of list.entries()) {
    const earlier = list.slice(0, i).filter((x) => x.job === h.job && x.task !== h.task);
    const running = earlier.find((x) => x.end > h.start);
    if (running) {
      return `${name(h.task)} started handling job ${h.job} while ${name(running.task)} was running it: two workers ran one job.`;
    }
    const done = earlier.find((x) => x.result === 'done');
    if (done)
      return `${name(h.task)} handled job ${h.job}, which ${name(done.task)} had already run: a done job runs again.`;
    const arrived = outcomes[h.task]!.arrivedAt;
    const older = jobs.filter((k) => k < h.job);
    let fair = false;
    for (let at = arrived; at <= h.start && !fair; at++) {
      fair = older.every((k) => taken(k, h.task, at, list, outcomes));
    }
    if (!fair) {
      const free = older.filter((k) => !taken(k, h.task, h.start, list, outcomes));
      return `${name(h.task)} took job ${h.job} while job ${free[0] ?? older[0]} was queued and free: the oldest free job (lowest id) goes first.`;
    }
  }
  for (const [task, outcome] of outcomes.entries()) {
    const mine = list.filter((h) => h.task === task);
    if (outcome.status === 'rejected') {
      const threw = mine.find((h) => h.result === 'threw');
      const error = outcome.error;
      if (!threw) return `${name(task)} threw ${formatValue(error)}, though its handle did not fail.`;
      if (!(error instanceof InjectedFailure) || !error.message.startsWith(`${FINISH}(${threw.job})`)) {
        return `${name(task)}'s handle of job ${threw.job} failed, but work threw ${formatValue(error)}: it must reject with the handler's own error.`;
      }
      continue;
    }
    if (outcome.status !== 'resolved') continue;
    const answer = outcome.value;
    if (answer === null) {
      if (mine.length > 0) return `${name(task)} handled job ${mine[0]!.job}, then answered null.`;
      let explained = false;
      for (let at = outcome.arrivedAt; at <= outcome.settledAt && !explained; at++) {
        explained = jobs.every((k) => taken(k, task, at, list, outcomes));
      }
      if (!explained) {
        const free = jobs.find((k) => !taken(k, task, outcome.settledAt, list, outcomes)) ?? 1;
        return `${name(task)} answered null, but job ${free} was queued and no other worker had it: null means no job was free.`;
      }
      continue;
    }
    const handled = mine.find((h) => h.job === answer && h.result === 'done');
    if (!handled) {
      return `${name(task)} answered ${formatValue(answer)}, but its handle did not finish that job: answer the id of the job it ran.`;
    }
    if (status.get(answer as number) !== 'done') {
      return `${name(task)} answered job ${answer}, but the job is '${status.get(answer as number)}', not 'done'.`;
    }
  }
  for (const job of jobs) {
    const answered = outcomes.some((o) => o.status === 'resolved' && o.value === job);
    const now = status.get(job);
    if (answered || now === 'queued') continue;
    const last = list.findLast((h) => h.job === job);
    const what =
      last?.result === 'died'
        ? `${name(last.task)} died in the middle of it`
        : last?.result === 'threw'
          ? `${name(last.task)}'s handle threw`
          : 'no worker finished it';
    return `job ${job} is '${now}', but ${what}: a job whose worker failed or died is queued again, free for the next worker.`;
  }
  if (advisory > 0) {
    return `${advisory} advisory lock${advisory === 1 ? ' is' : 's are'} still held after every worker returned: a session lock outlives the job (use the row lock of a transaction, which ends with it).`;
  }
  return null;
}

const fateText: Record<Fate, string> = {
  ok: 'work()',
  throws: 'work() (its handle may throw)',
  dies: 'work() (its worker may be killed mid-job)',
};

function scenario(workload: JobQueueWorkload) {
  return pgScenario(database(workload.jobs), {
    name: describe(workload),
    separateProcesses: true,
    // Two plain work() calls are the same worker twice: the judge names tasks, and treats them alike.
    alikeByLabel: true,
    mayReject: true,
    maxFailures: 1,
    calls: workload.workers.map((fate) => ({
      label: fateText[fate],
      run: (db: Db, mod: Module, others: Others) =>
        exported<Work>(mod, 'work', 'the function')(db, handler(fate, others)),
    })),
    async check(outcomes, read, events) {
      const rows = await read<{ id: number; status: string }>('SELECT id, status FROM jobs ORDER BY id');
      const [{ n } = { n: 0 }] = await read<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      return judge(workload, outcomes, events, new Map(rows.map((r) => [r.id, r.status])), n);
    },
  });
}

function describe({ jobs, workers }: JobQueueWorkload): string {
  const queue =
    jobs === 1
      ? 'job 1 queued'
      : `jobs ${Array.from({ length: jobs }, (_, i) => i + 1).join(', ')} queued (stored newest first)`;
  return `${callers(workers.map((fate) => fateText[fate]))}; ${queue}`;
}

const EXAMPLES: JobQueueWorkload[] = [
  { jobs: 2, workers: ['ok', 'ok'] },
  { jobs: 3, workers: ['ok'] },
  { jobs: 2, workers: ['ok', 'ok', 'ok'] },
  { jobs: 1, workers: ['throws', 'ok'] },
  { jobs: 1, workers: ['dies', 'ok'] },
  { jobs: 2, workers: ['dies', 'ok'] },
];

const FATES: Fate[] = ['ok', 'throws', 'dies'];
const isFate = (x: unknown): x is Fate => FATES.includes(x as Fate);

export const check: Check<JobQueueWorkload> = {
  exercise: 'job-queue',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      jobs: fc.integer({ min: 1, max: 3 }),
      workers: fc.array(fc.constantFrom<Fate>('ok', 'ok', 'throws', 'dies'), { minLength: 1, maxLength: 3 }),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value)) return null;
      const { jobs, workers } = value;
      if (jobs !== 1 && jobs !== 2 && jobs !== 3) return null;
      return arrayOf(workers, isFate, 1, 3) ? { jobs, workers } : null;
    },
  },
  scenario,
  budget: PG_BUDGET,
};
