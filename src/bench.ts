/**
 * npm run bench: how fast the explorer finds each wrong fix and passes each right one, measured
 * in this process (no grader process, no compile in the timings), plus the grader's warm and cold
 * paths. `node dist/bench.js --only cold,watch` runs those sections alone (explorer, workers,
 * scale, watch, cold); `--exercise counter,cache` narrows the explorer section.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { benchScale, cpuSince } from './bench/scale.js';
import { benchCold, benchWatch } from './bench/watch.js';
import { benchStressAlone, benchWorkersGrade } from './bench/workers.js';
import { CHECKS } from './checks/index.js';
import { loadCourse } from './course/course.js';
import { DEFAULT_BUDGET } from './explorer/explorer.js';
import { exploreWorkloads } from './explorer/workloads.js';
import { stopPostgres } from './postgres/server.js';
import { compileLearnerFile } from './sandbox/compile.js';
import { moduleFactory } from './sandbox/learner-module.js';
import { containStrays } from './sandbox/strays.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(exercise: string, file: string) {
  const compiled = compileLearnerFile(file, readFileSync(file, 'utf8'), path.basename(file));
  if (!compiled.code) throw new Error(`${file} does not compile: ${compiled.diagnostics[0]}`);
  const instantiate = moduleFactory<Record<string, unknown>>(compiled.code, file);
  const check = CHECKS[exercise]!;
  const times: number[] = [];
  const cpu: number[] = [];
  let last: Awaited<ReturnType<typeof exploreWorkloads>> | null = null;
  // One untimed run first: V8 compiles the explorer's and this file's hot paths in it (a grader
  // process serving watch mode is past that; the cold section measures a fresh process).
  for (let i = -1; i < RUNS; i++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // The budget the grader gives this check (the PostgreSQL checks search less, each schedule costs more).
    last = await exploreWorkloads(check.workloads, (w) => check.scenario(w), instantiate, {
      ...DEFAULT_BUDGET,
      ...check.budget,
    });
    if (i < 0) continue;
    times.push(performance.now() - started);
    cpu.push(cpuSince(cpuStarted));
  }
  return {
    ms: median(times),
    cpuMs: median(cpu),
    schedules: last!.coverage.schedules,
    passed: last!.failure === null,
  };
}

/** The cold check beside the vitest baseline, as ratios. */
async function printCold(): Promise<void> {
  const cold = await benchCold();
  const ratio = (ms: number) => `${(ms / cold.vitestBaselineMs).toFixed(2)}x`;
  console.log(
    `cold 'racelings check counter' of the reference solution (a new process), median of ${cold.runs}:`,
  );
  console.log(
    `  the file edited since its last check (type check included): ${cold.editedMs} ms (${ratio(cold.editedMs)})`,
  );
  console.log(
    `  the file unchanged (its compilation cached): ${cold.unchangedMs} ms (${ratio(cold.unchangedMs)})`,
  );
  console.log(
    `  side by side: a plain 'vitest run' of a fast-check scheduler test of the same file: ${cold.vitestBaselineMs} ms`,
  );
}

/** The in-process explorer on each check's solution and corpus (`exercises`: only these ids). */
async function printExplorer(exercises: string[] | null): Promise<void> {
  containStrays();
  const course = await loadCourse();
  console.log(
    `explorer, median of ${RUNS} runs per file after one untimed run (Node ${process.versions.node})\n`,
  );
  const wanted = course.exercises.filter(
    (e) => CHECKS[e.id] && !CHECKS[e.id]!.threads && (exercises === null || exercises.includes(e.id)),
  );
  for (const exercise of wanted) {
    const solution = path.join(course.root, 'solutions', exercise.id, exercise.file);
    const pass = await measure(exercise.id, solution);
    const rate = Math.round((pass.schedules / pass.ms) * 1000);
    console.log(
      `${exercise.id}: full pass of the solution ${pass.ms.toFixed(0)} ms (CPU ${pass.cpuMs.toFixed(0)} ms), ${pass.schedules} schedules, ${rate.toLocaleString('en-US')} schedules/s`,
    );
    const corpus = path.join(course.root, 'test', 'corpus', exercise.id);
    if (!existsSync(corpus)) continue;
    for (const name of readdirSync(corpus).sort()) {
      const result = await measure(exercise.id, path.join(corpus, name));
      const what = result.passed ? 'full pass' : 'first failure (shrunk)';
      const ok = result.passed === name.startsWith('right-') ? '' : '  <-- WRONG VERDICT';
      console.log(
        `  ${name.padEnd(34)} ${what.padEnd(22)} ${result.ms.toFixed(1).padStart(7)} ms  CPU ${result.cpuMs.toFixed(1).padStart(7)} ms  ${result.schedules} schedules${ok}`,
      );
    }
  }
}

async function printWorkers(): Promise<void> {
  const course = await loadCourse();
  console.log(
    '\nworkers tier: one grade each (threads started, explored, stressed, stopped; compile excluded)',
  );
  for (const exercise of course.exercises.filter((e) => CHECKS[e.id]?.threads)) {
    for (const dir of ['exercises', 'solutions']) {
      const row = await benchWorkersGrade(
        exercise.id,
        path.join(course.root, dir, exercise.id, exercise.file),
      );
      console.log(
        `  ${`${dir}/${exercise.id}`.padEnd(28)} ${(row.passed ? 'pass' : 'fail').padEnd(5)} ${row.wallMs.toFixed(0).padStart(6)} ms wall (bar: 3,000 for a pass), ${row.cpuMs.toFixed(0).padStart(6)} ms CPU, ${row.schedules} schedules, stress ${row.stressMs.toFixed(0)} ms${row.anomaly ? `: ${row.anomaly}` : ''}`,
      );
    }
  }
  const alone = await benchStressAlone(
    'shared-counter',
    path.join(course.root, 'exercises', 'shared-counter', 'counter.ts'),
  );
  console.log(
    `  the stress layer alone on the shipped shared-counter: ${alone.ms.toFixed(0)} ms (bar: 2,000): ${alone.anomaly ?? 'saw nothing'}`,
  );
}

async function printScale(): Promise<void> {
  const course = await loadCourse();
  console.log(
    '\nscale: the counter reference solution, with and without partial-order reduction (outcomes: what each caller saw; with symmetry, alike callers arrive in one order)',
  );
  console.log(
    '  workload                                              reduction      schedules  interleavings  outcomes      ms  CPU ms',
  );
  for (const row of await benchScale(course.root)) {
    const name = row.workload.replace('callers: ', '').padEnd(52);
    const done = row.exhaustive ? '' : ' (unfinished)';
    console.log(
      `  ${name}  ${row.reduction.padEnd(13)}  ${String(row.schedules).padStart(9)}  ${String(row.interleavings).padStart(13)}  ${String(row.outcomes).padStart(8)}  ${row.ms.toFixed(0).padStart(6)}  ${row.cpuMs.toFixed(0).padStart(6)}${done}`,
    );
  }
}

async function printWatch(): Promise<void> {
  const watch = await benchWatch();
  console.log(`\nwatch mode, save (rename) -> verdict over ${watch.samples} saves of counter, alternating:`);
  console.log(`  a passing save: p50 ${watch.pass.p50} ms, p90 ${watch.pass.p90} ms`);
  console.log(`  a failing save: p50 ${watch.fail.p50} ms, p90 ${watch.fail.p90} ms`);
}

const SECTIONS = ['explorer', 'workers', 'scale', 'watch', 'cold'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * `--only explorer,scale` runs those sections (all by default); `--exercise counter,transfer`
 * narrows the explorer section. Throws on a section it does not know.
 */
async function main(): Promise<void> {
  const option = (name: string) =>
    process.argv.includes(name) ? (process.argv[process.argv.indexOf(name) + 1] ?? '').split(',') : null;
  const only = option('--only');
  for (const name of only ?? []) {
    if (!SECTIONS.includes(name as Section)) {
      throw new Error(`--only takes sections among ${SECTIONS.join(', ')}, not '${name}'`);
    }
  }
  const runs = (section: Section) => only === null || only.includes(section);
  if (runs('explorer')) await printExplorer(option('--exercise'));
  if (runs('workers')) await printWorkers();
  if (runs('scale')) await printScale();
  if (runs('watch')) await printWatch();
  if (runs('cold')) await printCold();
}

try {
  await main();
} finally {
  // The PostgreSQL checks started a server; its connections would keep this process alive.
  await stopPostgres();
}
