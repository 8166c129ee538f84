import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadCourse } from '../course/course.js';
import type { Tier } from '../course/types.js';
import { Grader } from '../grader/grader.js';
import { paint } from '../report/paint.js';
import type { GlobalOptions } from './context.js';

interface Probe {
  name: string;
  /** Needed for the tutor to work at all (a failure is a broken installation, exit 2). */
  essential: boolean;
  /** Only asked when the course has exercises of this tier: no warning about a tier that does not exist. */
  tier?: Tier;
  /** `howTo`: what to do about a failure, one way a line. */
  run(): Promise<{ ok: boolean; detail: string; howTo?: readonly string[] }>;
}

const nodeVersion: Probe = {
  name: 'Node.js',
  essential: true,
  async run() {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const ok = major > 20 || (major === 20 && minor >= 19);
    return {
      ok,
      detail: ok ? `v${process.versions.node}` : `v${process.versions.node}: racelings needs 20.19 or newer`,
    };
  },
};

const typescript: Probe = {
  name: 'TypeScript',
  essential: true,
  async run() {
    const ts: typeof import('typescript') = createRequire(import.meta.url)('typescript');
    const { nativeCompilerVersion } = await import('../sandbox/native-check.js');
    const native = nativeCompilerVersion();
    return {
      ok: true,
      detail: native
        ? `${ts.version} compiles your exercise files, the native ${native} type-checks them`
        : `${ts.version} compiles and type-checks your exercise files (${
            process.env.RACELINGS_NATIVE_TSC === '0'
              ? 'the native compiler is turned off by RACELINGS_NATIVE_TSC=0'
              : `no native compiler for ${process.platform}-${process.arch}`
          }: a check of an edited file takes ~1 s longer)`,
    };
  },
};

const grading: Probe = {
  name: 'grader',
  essential: true,
  async run() {
    const course = await loadCourse();
    const first = course.exercises[0]!;
    const grader = new Grader();
    try {
      const file = path.join(course.root, 'solutions', first.id, first.file);
      const verdict = await grader.grade({ exercise: first.id, file, shownAs: file });
      return verdict.passed
        ? {
            ok: true,
            detail: `graded the reference '${first.id}' in ${verdict.durationMs} ms (${verdict.explored})`,
          }
        : {
            ok: false,
            detail: `the reference '${first.id}' did not pass: ${verdict.reason} — reinstall racelings`,
          };
    } finally {
      await grader.close();
    }
  },
};

/**
 * The workers tier: how many cores the stress layer gets, and a grade of the reference shared
 * counter, which starts worker threads over a SharedArrayBuffer and stops them.
 */
const workers: Probe = {
  name: 'workers',
  essential: false,
  tier: 'workers',
  async run() {
    const course = await loadCourse();
    const exercise = course.exercises.find((e) => e.tier === 'workers')!;
    const n = availableParallelism();
    const cores = `${n} core${n === 1 ? '' : 's'} (the stress layer runs ${Math.min(8, Math.max(2, n))} threads)`;
    const grader = new Grader();
    try {
      const file = path.join(course.root, 'solutions', exercise.id, exercise.file);
      const verdict = await grader.grade({ exercise: exercise.id, file, shownAs: file });
      return verdict.passed
        ? {
            ok: true,
            detail: `${cores}; graded the reference '${exercise.id}' on worker threads in ${verdict.durationMs} ms`,
          }
        : { ok: false, detail: `${cores}; the reference '${exercise.id}' did not pass: ${verdict.reason}` };
    } finally {
      grader.close();
    }
  },
};

const postgres: Probe = {
  name: 'PostgreSQL',
  essential: false,
  async run() {
    const { probePostgres, stopPostgres } = await import('../postgres/server.js');
    try {
      const probe = await probePostgres();
      const detail = probe.ok
        ? probe.detail
        : `${probe.detail} (only the postgres-tier exercises and the lab need it)`;
      return { ok: probe.ok, detail };
    } finally {
      await stopPostgres();
    }
  },
};

const redis: Probe = {
  name: 'Redis',
  essential: false,
  tier: 'redis',
  async run() {
    const { probeRedis, stopRedis } = await import('../redis/server.js');
    try {
      const probe = await probeRedis();
      return probe.ok
        ? probe
        : { ...probe, detail: `${probe.detail} (only the redis-tier exercises and lab locks need it)` };
    } finally {
      await stopRedis();
    }
  },
};

export async function doctorCommand(options: GlobalOptions): Promise<number> {
  const tiers = new Set((await loadCourse()).exercises.map((e) => e.tier));
  const probes = [nodeVersion, typescript, grading, workers, postgres, redis].filter(
    (probe) => probe.tier === undefined || tiers.has(probe.tier),
  );
  const results = [];
  for (const probe of probes) {
    const result = await probe.run().catch((error: unknown) => ({
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    }));
    results.push({ name: probe.name, essential: probe.essential, ...result });
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    for (const r of results) {
      const mark = r.ok
        ? paint('✓', { colour: 'green' }, options.color)
        : paint(r.essential ? '✗' : '!', { colour: r.essential ? 'red' : 'yellow' }, options.color);
      process.stdout.write(`${mark} ${r.name.padEnd(11)} ${r.detail}\n`);
      for (const line of r.howTo ?? []) process.stdout.write(`${' '.repeat(14)}${line}\n`);
    }
  }
  return results.some((r) => r.essential && !r.ok) ? 2 : 0;
}
