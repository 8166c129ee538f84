/**
 * npm run bench: how fast the explorer finds each wrong fix and passes each right one, measured
 * in this process (no grader process, no compile in the timings), plus the grader's cold path.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { benchWatch } from './bench/watch.js';
import { CHECKS } from './checks/index.js';
import { loadCourse } from './course/course.js';
import { DEFAULT_BUDGET, explore } from './explorer/explorer.js';
import { stopPostgres } from './postgres/server.js';
import { compileLearnerFile, moduleFactory } from './sandbox/learner-module.js';
import { containStrays } from './sandbox/strays.js';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(exercise: string, file: string) {
  const compiled = compileLearnerFile(file, readFileSync(file, 'utf8'), path.basename(file));
  if (!compiled.code) throw new Error(`${file} does not compile: ${compiled.diagnostics[0]}`);
  const instantiate = moduleFactory<Record<string, unknown>>(compiled.code, file);
  const check = CHECKS[exercise]!;
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof explore>> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    // The budget the grader gives this check (the PostgreSQL checks search less, each schedule costs more).
    last = await explore(check.scenarios, instantiate, { ...DEFAULT_BUDGET, ...check.budget });
    times.push(performance.now() - started);
  }
  return { ms: median(times), schedules: last!.coverage.schedules, passed: last!.found === null };
}

async function main(): Promise<void> {
  containStrays();
  const course = await loadCourse();
  console.log(`explorer, median of ${RUNS} runs per file (Node ${process.versions.node})\n`);
  for (const exercise of course.exercises.filter((e) => CHECKS[e.id])) {
    const solution = path.join(course.root, 'solutions', exercise.id, exercise.file);
    const pass = await measure(exercise.id, solution);
    const rate = Math.round((pass.schedules / pass.ms) * 1000);
    console.log(
      `${exercise.id}: full pass of the solution ${pass.ms.toFixed(0)} ms, ${pass.schedules} schedules, ${rate.toLocaleString('en-US')} schedules/s`,
    );
    const corpus = path.join(course.root, 'test', 'corpus', exercise.id);
    if (!existsSync(corpus)) continue;
    for (const name of readdirSync(corpus).sort()) {
      const result = await measure(exercise.id, path.join(corpus, name));
      const what = result.passed ? 'full pass' : 'first failure (shrunk)';
      const ok = result.passed === name.startsWith('right-') ? '' : '  <-- WRONG VERDICT';
      console.log(
        `  ${name.padEnd(34)} ${what.padEnd(22)} ${result.ms.toFixed(1).padStart(7)} ms  ${result.schedules} schedules${ok}`,
      );
    }
  }
  const watch = await benchWatch();
  console.log(
    `\nwatch mode, save (rename) -> verdict over ${watch.samples} saves of counter: p50 ${watch.p50.toFixed(0)} ms, p90 ${watch.p90.toFixed(0)} ms`,
  );
  console.log(
    `cold 'racelings check counter' (a new process, type check included), median of 5: ${watch.coldCheckMs.toFixed(0)} ms`,
  );
}

try {
  await main();
} finally {
  // The PostgreSQL checks started a server; its connections would keep this process alive.
  await stopPostgres();
}
