import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';
import { REDIS_BUDGET, servers } from './redis-check.js';

const VIDEOS = ['a', 'b'] as const;
type Video = (typeof VIDEOS)[number];

/** How the scheduled flush's first call to the database fails, if it does. */
type DbFailure =
  /** It may fail before it added anything, where the explorer chooses. */
  | 'before'
  /** It commits, then rejects: a timeout whose reply was lost. */
  | 'after'
  | 'none';

/** One view: the video, and the web server (1 or 2) that counts it. */
interface View {
  video: Video;
  server: 1 | 2;
}

export interface ViewCounterWorkload {
  views: View[];
  /** The video the scheduler flushes while the views arrive. */
  flush: Video;
  failure: DbFailure;
}

interface CounterClass {
  new (
    redis: unknown,
    db: { addViews(video: string, count: number, batch: string): Promise<void> },
    options: { server: string },
  ): { view(video: string): Promise<unknown>; flush(video: string): Promise<unknown> };
}

/** Server 0 runs the scheduler; servers 1 and 2 serve the views. */
const serverName = (server: number) => (server === 0 ? 'scheduler' : `web-${server}`);

/** Most times the checker calls flush after everything settled, for each video, before it counts (at least once). */
const DRAIN_FLUSHES = 3;

/** The database's reply that never came: it had committed. */
class LostReply extends Error {
  constructor() {
    super('timeout: the database committed the batch, but its reply was lost');
    this.name = 'LostReply';
  }
}

function describe({ views, flush, failure }: ViewCounterWorkload): string {
  const failing = {
    none: '',
    before: '; its addViews may fail before it adds anything',
    after: '; its first addViews commits, then times out',
  }[failure];
  return `${callers([
    ...views.map((v) => `view('${v.video}') on ${serverName(v.server)}`),
    `flush('${flush}') on the scheduler${failing}`,
  ])}; then, views stopped, flush each video until it is drained (1 to ${DRAIN_FLUSHES} times)`;
}

function scenario(workload: ViewCounterWorkload): Scenario<Module> {
  const { views, flush, failure } = workload;
  const used = VIDEOS.filter((v) => v === flush || views.some((view) => view.video === v));
  return {
    name: describe(workload),
    maxFailures: failure === 'before' ? 1 : 0,
    async setup(world, mod, another) {
      const { modules, ports } = await servers(world, mod, another, 3);
      /** The database: each video's total, and the batch ids it applied. */
      const totals = new Map<string, number>();
      const applied = new Set<string>();
      /** Views called so far, per video; views answered. */
      const made = new Map<string, number>();
      const answered = new Set<number>();
      let draining = false;
      let failedOnce = false;
      /** Set when the database failed the scheduled flush (so its rejection is explained). */
      let dbFailed = false;
      const viewTasks = views.map((_, i) => i);
      const flushTask = views.length;

      const db = {
        addViews(video: string, count: number, batch: string): Promise<void> {
          const first = !draining && !failedOnce;
          const result = world.op(
            'db.addViews',
            [video, count, batch],
            () => {
              if (!Number.isInteger(count) || count <= 0) {
                world.fail(
                  `addViews('${video}', ${formatValue(count)}, ${formatValue(batch)}) was sent a count that is not a positive whole number of views.`,
                );
                return;
              }
              const id = `${video}\u0000${String(batch)}`;
              if (!applied.has(id)) {
                applied.add(id);
                const total = (totals.get(video) ?? 0) + count;
                totals.set(video, total);
                const so = made.get(video) ?? 0;
                if (total > so) {
                  world.fail(
                    `a view counted twice: the database's total for '${video}' became ${total}, though only ${so} view(s) of it were made. A batch sent again must carry the id it had the first time (batch ${formatValue(batch)} is new to the database), and a flush must not put back what the database may already have.`,
                  );
                }
              }
              if (first && failure === 'after') {
                failedOnce = true;
                dbFailed = true;
                throw new LostReply();
              }
            },
            {
              fallible: first && failure === 'before',
              describe: () => 'ok',
              touches: [{ object: 'totals', key: video, write: true }],
            },
          );
          if (first && failure === 'before') {
            result.catch(() => {
              failedOnce = true;
              dbFailed = true;
            });
          }
          return result;
        },
      };

      const counters = modules.map((m, i) => {
        const Counter = exported<CounterClass>(m, 'ViewCounter', 'the class');
        return new Counter(ports[i], db, { server: serverName(i) });
      });
      const scheduler = counters[0]!;
      let scheduled: { ok: true } | { ok: false; error: unknown } = { ok: true };

      return {
        tasks: [
          ...views.map((view, i) => ({
            label: `t${i + 1} view('${view.video}') on ${serverName(view.server)}`,
            run: () => {
              made.set(view.video, (made.get(view.video) ?? 0) + 1);
              return counters[view.server]!.view(view.video);
            },
          })),
          {
            label: `t${flushTask + 1} flush('${flush}') on the scheduler, then until drained`,
            run: async () => {
              try {
                await scheduler.flush(flush);
              } catch (error) {
                scheduled = { ok: false, error };
              }
              // The views stop and the database recovers: the checker flushes what is left.
              await world.op('views stopped; the database works again', [], () => 'drain', {
                heldBack: () =>
                  viewTasks.every((t) => answered.has(t)) ? null : 'waits until every view was answered',
                touches: [{ object: 'drain', key: 'all', write: true }],
              });
              draining = true;
              for (const video of used) {
                // At least once: a batch a failed flush left behind must not come back as a new one.
                for (let i = 0; i < DRAIN_FLUSHES; i++) {
                  if (i > 0 && (totals.get(video) ?? 0) === counted(video)) break;
                  await scheduler.flush(video);
                }
              }
            },
          },
        ],
        onSettle(task) {
          answered.add(task);
        },
        check(outcomes) {
          return judge(outcomes);
        },
      };

      /** Views of `video` whose call resolved: the database must end with exactly this many. */
      function counted(video: string): number {
        return views.filter((v, i) => v.video === video && answered.has(i)).length;
      }

      function judge(outcomes: readonly TaskOutcome[]): string | null {
        const name = (task: number) => shortName(outcomes, task);
        for (const task of viewTasks) {
          const outcome = outcomes[task]!;
          if (outcome.status === 'rejected') {
            return `${name(task)}'s view threw ${formatValue(outcome.error)}: counting a view must not fail here.`;
          }
        }
        if (!scheduled.ok && !dbFailed) {
          return `${name(flushTask)}'s flush('${flush}') threw ${formatValue(scheduled.error)}, though the database did not fail.`;
        }
        const drain = outcomes[flushTask]!;
        if (drain.status === 'rejected') {
          return `a flush after the database recovered threw ${formatValue(drain.error)}: a later flush must finish the job a failed one left.`;
        }
        for (const video of used) {
          const total = totals.get(video) ?? 0;
          const expected = views.filter((v) => v.video === video).length;
          if (total < expected) {
            const why = dbFailed
              ? ` The database failed once (${failure === 'after' ? 'after it had committed' : 'before it added anything'}): a batch taken out of Redis must stay there until the database has it, and be sent again under the same id.`
              : ' A view that came between reading the counter and resetting it was wiped out: take the count out in one step (GETDEL, RENAME, or a script).';
            return `a view lost: ${expected} view(s) of '${video}' were answered, but after the flushes and ${DRAIN_FLUSHES} more with no views in between, the database holds ${total}.${why}`;
          }
          if (total > expected) {
            return `a view counted twice: ${expected} view(s) of '${video}' were answered, but the database holds ${total}.`;
          }
        }
        return null;
      }
    },
  };
}

const view = (video: Video, server: 1 | 2): View => ({ video, server });

const EXAMPLES: ViewCounterWorkload[] = [
  // Views arrive on two servers while the flush reads and resets.
  { views: [view('a', 1), view('a', 2)], flush: 'a', failure: 'none' },
  // The database fails before it adds; views keep coming.
  { views: [view('a', 1), view('a', 2)], flush: 'a', failure: 'before' },
  // The database commits, then its reply is lost: a retry must not count the batch again.
  { views: [view('a', 1)], flush: 'a', failure: 'after' },
  { views: [view('a', 1), view('a', 2)], flush: 'a', failure: 'after' },
  // Another video's views during a flush are not its business.
  { views: [view('a', 1), view('b', 2)], flush: 'a', failure: 'none' },
];

const isView = (x: unknown): x is View =>
  isRecord(x) && VIDEOS.includes(x.video as Video) && (x.server === 1 || x.server === 2);

export const check: Check<ViewCounterWorkload> = {
  exercise: 'view-counter',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      views: fc.array(
        fc.record({
          video: fc.constantFrom<Video>('a', 'a', 'b'),
          server: fc.constantFrom<1 | 2>(1, 2),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      flush: fc.constant<Video>('a'),
      failure: fc.constantFrom<DbFailure>('none', 'before', 'after'),
    }),
    examples: EXAMPLES,
    generated: 1,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.views, isView, 1, 3)) return null;
      if (!VIDEOS.includes(value.flush as Video)) return null;
      if (value.failure !== 'none' && value.failure !== 'before' && value.failure !== 'after') return null;
      return { views: value.views, flush: value.flush as Video, failure: value.failure };
    },
  },
  scenario,
  budget: REDIS_BUDGET,
};
