/**
 * The fault cases: each one entry, a fault done to racelings for real and the outcome it must
 * have. After every case the runner also requires that nothing is left: no marked process, no
 * server or staging folder (see harness.ts). Issue 11's points 3, 4, 6 and 7, fixed in the
 * session and the explorer, have their cases here too (watch re-arm, a forgotten COMMIT, verdict
 * blame, replay tokens), so that they stay fixed.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FaultCase, Harness, Observation, Run } from './harness.js';
import { until } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The verdict `check --json` printed, or why there is none. */
function verdictOf(run: Run): { verdict: Record<string, unknown> } | { none: string } {
  try {
    return { verdict: JSON.parse(run.stdout) };
  } catch {
    return { none: `no JSON verdict (exit ${run.code}): ${run.stderr.trim().split('\n')[0] ?? ''}` };
  }
}

const seen = (ok: boolean, observed: string): Observation => ({ ok, observed });

const state = (ws: string) => JSON.parse(readFileSync(path.join(ws, '.racelings', 'state.json'), 'utf8'));

/** The shipped counter with `line` first in hit(), or before everything (`module`). */
function counterWith(h: Harness, line: string, where: 'hit' | 'module' = 'hit'): string {
  const broken = h.broken('counter');
  if (where === 'module') return `${line}\n${broken}`;
  return broken.replace(/(async hit\(page: string\): Promise<void> \{\n)/, `$1    ${line}\n`);
}

/** The shipped withdraw with `line` first in withdraw(). */
const withdrawWith = (h: Harness, line: string) =>
  h.broken('withdraw').replace(/(amount: number\): Promise<boolean> \{\n)/, `$1  ${line}\n`);

/** A learner-code fault: `check ID --json` on a file with it must give exit `code` and a reason like `reason`. */
function learnerFault(
  id: string,
  fault: string,
  source: (h: Harness) => string,
  expected: {
    code: number;
    reason: RegExp;
    also?: (verdict: Record<string, unknown>) => string | null;
    /** The expected column, when the reason alone does not say it. */
    text?: string;
  },
  options: { exercise?: string; quick?: boolean } = {},
): FaultCase {
  const exercise = options.exercise ?? 'counter';
  return {
    id,
    fault: `${exercise}: ${fault}`,
    expected: expected.text ?? `exit ${expected.code}, reason ${expected.reason.source}`,
    quick: options.quick,
    async run(h) {
      const ws = await h.workspace();
      writeFileSync(h.exerciseFile(ws, exercise), source(h));
      const run = await h.cli(['check', exercise, '--json', '--workspace', ws]);
      const parsed = verdictOf(run);
      if ('none' in parsed) return seen(false, parsed.none);
      const reason = String(parsed.verdict.reason);
      const problem = expected.also?.(parsed.verdict) ?? null;
      return seen(
        run.code === expected.code && expected.reason.test(reason) && problem === null,
        `exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s: ${reason.slice(0, 90)}${problem ? ` — ${problem}` : ''}`,
      );
    },
  };
}

const learnerFaults: FaultCase[] = [
  learnerFault(
    'loop',
    'while (true) {} in hit',
    (h) => counterWith(h, 'while (page.length > 0) {}'),
    { code: 1, reason: /endless loop/ },
    { quick: true },
  ),
  learnerFault(
    'exit-import',
    'process.exit(0) at import',
    (h) => counterWith(h, 'process.exit(0);', 'module'),
    {
      code: 1,
      reason: /process\.exit\(0\) was called/,
    },
  ),
  learnerFault(
    'throw-import',
    'a throw at import',
    (h) => counterWith(h, "throw new Error('boom at import');", 'module'),
    { code: 1, reason: /module failed to load.*boom at import/ },
  ),
  learnerFault(
    'kill-self',
    'the grader SIGKILLs itself',
    (h) => counterWith(h, "(process as any).kill((process as any).pid, 'SIGKILL');"),
    { code: 1, reason: /grader process was killed by SIGKILL/ },
    { quick: true },
  ),
  learnerFault(
    'unhandled',
    'a rejection nothing handles',
    (h) => counterWith(h, "void Promise.reject(new Error('nobody catches me'));"),
    { code: 1, reason: /nothing handled it/ },
  ),
  learnerFault('syntax', 'a syntax error', (h) => `${h.broken('counter')}\nexport const = ;\n`, {
    code: 1,
    reason: /^does not compile: /,
  }),
  learnerFault(
    'memory',
    'allocates without end',
    (h) =>
      counterWith(
        h,
        'const kept: number[][] = []; while (page.length > 0) kept.push(new Array(1_000_000).fill(1));',
      ),
    { code: 1, reason: /memory/ },
  ),
  learnerFault(
    'builtin-spawn',
    "getBuiltinModule('child_process') spawns a detached sleep",
    (h) =>
      counterWith(
        h,
        "(globalThis as any).process.getBuiltinModule('child_process').spawn('sleep', ['4742'], { detached: true, stdio: 'ignore' }).unref();",
      ),
    {
      code: 1,
      reason: /./,
      also: (v) => (JSON.stringify(v).includes('not available here') ? null : 'the spawn was not refused'),
      text: "exit 1; 'child_process is not available here'; no sleep left",
    },
    { quick: true },
  ),
  learnerFault(
    'builtin-read',
    "getBuiltinModule('node:fs') reads /etc/passwd",
    (h) =>
      counterWith(
        h,
        "console.log((process as any).getBuiltinModule('node:fs').readFileSync('/etc/passwd', 'utf8'));",
      ),
    {
      code: 1,
      reason: /./,
      also: (v) => (JSON.stringify(v.output).includes('root:') ? 'the file was read' : null),
      text: 'exit 1; the file is not read',
    },
  ),
  learnerFault(
    'stray-process',
    'a detached sleep through the internal process binding',
    (h) =>
      counterWith(
        h,
        "{ const p = (globalThis as any).process; if (!p.strayed) { p.strayed = true; const w = new (p.binding('process_wrap').Process)(); w.onexit = () => {}; const i = { type: 'ignore' }; w.spawn({ file: 'sleep', args: ['sleep', '4743'], stdio: [i, i, i], detached: true, envPairs: ['RACELINGS_FAULTS=' + p.env.RACELINGS_FAULTS] }); w.unref(); } }",
      ),
    { code: 1, reason: /./, text: 'exit 1; the sleep does not outlive the check' },
  ),
  learnerFault(
    'throw-in-hit',
    "hit throws Error('not implemented') (issue 11.6)",
    (h) => counterWith(h, "throw new Error('not implemented');"),
    {
      code: 1,
      reason: /hit\('home'\) threw Error: not implemented/,
      also: (verdict) => (/failed write/.test(String(verdict.reason)) ? 'blames a failed write' : null),
      text: "exit 1, the reason names hit('home') threw Error: not implemented, no failed write",
    },
  ),
  learnerFault(
    'forgot-commit',
    'BEGIN, SELECT … FOR UPDATE, UPDATE, and no COMMIT (issue 11.4)',
    (h) =>
      h
        .broken('withdraw')
        .replace('const { rows }', "await db.query('BEGIN');\n  const { rows }")
        .replace('WHERE id = $1', 'WHERE id = $1 FOR UPDATE'),
    {
      code: 1,
      reason: /returned with its transaction still open/,
      text: 'exit 1, named at once: t1 returned with its transaction still open',
    },
    { exercise: 'withdraw' },
  ),
  learnerFault(
    'withdraw-loop',
    'an endless loop after the first query',
    (h) =>
      h
        .broken('withdraw')
        .replace(/(const balance = rows\[0\]!\.balance;\n)/, '$1  while (balance >= 0) {}\n'),
    { code: 1, reason: /endless loop/ },
    { exercise: 'withdraw' },
  ),
];

/** One save of `content` to `file`, the way an editor of that `style` saves. */
function save(file: string, content: string, style: 'rename' | 'in-place' | 'vim'): void {
  if (style === 'in-place') {
    writeFileSync(file, content);
  } else if (style === 'rename') {
    writeFileSync(`${file}.saving`, content);
    renameSync(`${file}.saving`, file);
  } else {
    // vim: a swap file, the original renamed to a backup, a new file written, the backup removed.
    const swap = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
    writeFileSync(swap, 'swap');
    renameSync(file, `${file}~`);
    writeFileSync(file, content);
    unlinkSync(`${file}~`);
    unlinkSync(swap);
  }
}

/** Rapid saves of alternating right and wrong files; the last verdict must match the last file. */
function rapidSaves(style: 'rename' | 'in-place' | 'vim', finalRight: boolean, quick = false): FaultCase {
  const saves = 30;
  return {
    id: `rapid-${style}-${finalRight ? 'right' : 'wrong'}`,
    fault: `watch counter --json: ${saves} ${style} saves 20–250 ms apart, alternating right and wrong, the last ${finalRight ? 'right' : 'wrong'}`,
    expected: `the last verdict: ${finalRight ? 'passed' : 'failed'}`,
    quick,
    async run(h) {
      const ws = await h.workspace();
      const file = h.exerciseFile(ws, 'counter');
      const watch = h.start(['watch', 'counter', '--json', '--workspace', ws]);
      try {
        if (!(await until(() => watch.lines.length > 0, 60_000)))
          return seen(false, 'no first verdict in 60 s');
        const gaps = [40, 90, 150, 20, 250, 60];
        for (let i = 0; i < saves; i++) {
          const right = i === saves - 1 ? finalRight : i % 2 === 0;
          save(file, `${right ? h.solution('counter') : h.broken('counter')}\n// save ${i}\n`, style);
          await sleep(gaps[i % gaps.length]!);
        }
        const lastSave = Date.now();
        // Settled: a verdict after the last save, then 3 s without another.
        await until(() => {
          const last = watch.at.at(-1) ?? 0;
          return last > lastSave && Date.now() - last > 3000;
        }, 60_000);
        const after = watch.lines.filter((_, i) => watch.at[i]! > lastSave);
        if (after.length === 0)
          return seen(false, `no verdict after the last save (${watch.lines.length} in all)`);
        const final = JSON.parse(watch.lines.at(-1)!) as { passed: boolean };
        return seen(
          final.passed === finalRight,
          `last verdict ${final.passed ? 'passed' : 'failed'} ${((watch.at.at(-1)! - lastSave) / 1000).toFixed(1)} s after the last save; ${watch.lines.length - 1} verdicts for ${saves} saves`,
        );
      } finally {
        watch.child.kill('SIGTERM');
        await watch.exited;
      }
    },
  };
}

type Command = 'watch' | 'check' | 'tutor';
type Phase = 'idle' | 'grading' | 'loop' | 'database' | 'first start';
type Signal = 'SIGKILL' | 'SIGTERM' | 'SIGINT';

/** A kill of a racelings command in one phase: afterwards nothing may be left. */
function killCase(command: Command, phase: Phase, signal: Signal, quick = false): FaultCase {
  const exercise = phase === 'database' || phase === 'first start' ? 'withdraw' : 'counter';
  return {
    id: `kill-${command}-${phase.replace(' ', '-')}-${signal}`,
    fault: `${signal} to ${command === 'tutor' ? 'the tutor' : command} ${phase === 'idle' ? 'while idle' : `during ${phase === 'loop' ? 'an endless loop' : phase === 'database' ? 'a wait on the database' : phase}`}`,
    expected: 'no process, server or temporary folder left',
    quick,
    async run(h) {
      const ws = await h.workspace();
      const file = h.exerciseFile(ws, exercise);
      if (phase === 'grading')
        writeFileSync(file, counterWith(h, 'for (let i = 0; i < 40_000_000; i++) page.charCodeAt(0);'));
      if (phase === 'loop') writeFileSync(file, counterWith(h, 'while (page.length > 0) {}'));
      if (phase === 'database')
        writeFileSync(file, withdrawWith(h, "await db.query('SELECT pg_sleep(30)');"));
      const env: Record<string, string> = phase === 'first start' ? { TMPDIR: h.freshTmp() } : {};
      const args =
        command === 'check'
          ? ['check', exercise, '--workspace', ws]
          : command === 'watch'
            ? ['watch', exercise, '--json', '--workspace', ws]
            : phase === 'idle'
              ? ['--workspace', ws]
              : ['watch', exercise, '--workspace', ws];
      let pid: number;
      let stop = () => {};
      let idle: () => boolean;
      if (command === 'tutor') {
        const terminal = await h.terminal(args, { env });
        pid = terminal.pid;
        stop = () => terminal.close();
        idle = () => terminal.screen().includes('Enter continue');
      } else {
        const started = h.start(args, { env });
        pid = started.child.pid!;
        stop = () => started.child.kill('SIGKILL');
        idle = () => started.lines.length > 0;
      }
      try {
        const reached = await until(
          {
            idle,
            grading: () => h.graderPid() !== undefined,
            loop: () => h.graderPid() !== undefined,
            database: () => h.serverFolders('racelings-pg-').length > 0,
            'first start': () => h.serverFolders('cluster-staging-').length > 0,
          }[phase],
          90_000,
        );
        if (!reached) return seen(false, `the ${phase} phase was not reached in 90 s`);
        // Well inside the phase: compiling is over, the loop spins, the statement waits.
        if (phase === 'grading' || phase === 'loop' || phase === 'database') await sleep(1500);
        // A pid of 0 would signal the suite's own process group.
        if (!(pid > 0)) return seen(false, `no process to kill (pid ${pid})`);
        const killed = Date.now();
        process.kill(pid, signal);
        const left = await h.leftover();
        return seen(
          left === '',
          left || `nothing left ${((Date.now() - killed) / 1000).toFixed(1)} s after the kill`,
        );
      } finally {
        stop();
      }
    },
  };
}

const kills: FaultCase[] = [];
for (const command of ['watch', 'check', 'tutor'] as const) {
  for (const phase of ['idle', 'grading', 'loop', 'database', 'first start'] as const) {
    if (command === 'check' && phase === 'idle') continue;
    for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
      const quick = (command === 'watch' && phase === 'loop' && signal === 'SIGKILL') || false;
      kills.push(killCase(command, phase, signal, quick));
    }
  }
}

/** A workspace whose counter passes. */
async function solved(h: Harness, id = 'counter'): Promise<string> {
  const ws = await h.workspace();
  writeFileSync(h.exerciseFile(ws, id), h.solution(id));
  return ws;
}

/** A state.json broken by `breakIt`: a hint still works, and the broken file is set aside with a notice. */
function brokenState(id: string, fault: string, what: string, breakIt: (file: string) => void): FaultCase {
  return {
    id,
    fault: `${fault}; hint counter`,
    expected: `exit 0, the hint, the ${what} set aside with a notice`,
    async run(h) {
      const ws = await h.workspace();
      breakIt(path.join(ws, '.racelings/state.json'));
      const run = await h.cli(['hint', 'counter', '--workspace', ws]);
      return seen(
        run.code === 0 &&
          run.stdout.includes('hint 1 of') &&
          run.stderr.includes('kept as .racelings/state.json.corrupt-'),
        `exit ${run.code}: ${run.stderr.trim().slice(0, 100)}`,
      );
    },
  };
}

const stateFaults: FaultCase[] = [
  brokenState('state-corrupt', 'state.json is not JSON', 'file', (file) => writeFileSync(file, '{ not json')),
  brokenState('state-folder', 'a folder in place of state.json', 'folder', (file) => {
    rmSync(file);
    mkdirSync(file);
  }),
  {
    id: 'state-read-only',
    fault: '.racelings read-only; check counter --json on a fix',
    expected: 'exit 0, the verdict as JSON, one note: progress could not be saved',
    quick: true,
    async run(h) {
      const ws = await solved(h);
      const run = await h.readOnly(path.join(ws, '.racelings'), () =>
        h.cli(['check', 'counter', '--json', '--workspace', ws]),
      );
      const parsed = verdictOf(run);
      if ('none' in parsed) return seen(false, parsed.none);
      const notes = parsed.verdict.notes as string[];
      return seen(
        run.code === 0 &&
          parsed.verdict.passed === true &&
          notes.filter((note) => note.startsWith('progress could not be saved')).length === 1,
        `exit ${run.code}, passed ${parsed.verdict.passed}, ${notes.find((n) => n.startsWith('progress')) ?? 'no progress note'}`.slice(
          0,
          160,
        ),
      );
    },
  },
  {
    id: 'state-read-only-watch',
    fault: 'watch counter --json; .racelings made read-only; the fix saved',
    expected: 'a verdict line: passed, with the note',
    async run(h) {
      const ws = await h.workspace();
      const watch = h.start(['watch', 'counter', '--json', '--workspace', ws]);
      try {
        if (!(await until(() => watch.lines.length > 0, 60_000)))
          return seen(false, 'no first verdict in 60 s');
        return await h.readOnly(path.join(ws, '.racelings'), async () => {
          writeFileSync(h.exerciseFile(ws, 'counter'), h.solution('counter'));
          await until(() => watch.lines.length > 1, 30_000);
          const line = watch.lines[1];
          if (!line) return seen(false, 'no verdict line after the save');
          const verdict = JSON.parse(line) as { passed: boolean; notes: string[] };
          return seen(
            verdict.passed && verdict.notes.some((n) => n.startsWith('progress could not be saved')),
            `passed ${verdict.passed}, ${verdict.notes.find((n) => n.startsWith('progress')) ?? 'no progress note'}`.slice(
              0,
              160,
            ),
          );
        });
      } finally {
        watch.child.kill('SIGTERM');
        await watch.exited;
      }
    },
  },
  {
    id: 'state-full-disk',
    fault: 'a full disk; check counter --json on a fix',
    expected: 'exit 0, the verdict, a note: the disk is full',
    async run(h) {
      const ws = await solved(h);
      const out = await h.smallDisk(
        `cp -a "${ws}" "$FULL/ws" && dd if=/dev/zero of="$FULL/fill" bs=4k >/dev/null 2>&1
         $RACELINGS check counter --json --workspace "$FULL/ws"; echo "exit $?"`,
      );
      const passed = /"passed": true/.test(out);
      const note = /progress could not be saved: [^"]*the disk is full/.test(out);
      return seen(
        passed && note && out.includes('exit 0'),
        `${out.match(/exit \d+/)?.[0]}, passed ${passed}, disk-full note ${note}`,
      );
    },
  },
  {
    id: 'reset-full-disk',
    fault: 'a full disk; reset counter over a changed file',
    expected: 'exit 2 with why; the file unchanged; no empty backup',
    async run(h) {
      const ws = await h.workspace();
      writeFileSync(h.exerciseFile(ws, 'counter'), '// mine\n');
      const out = await h.smallDisk(
        `cp -a "${ws}" "$FULL/ws" && dd if=/dev/zero of="$FULL/fill" bs=4k >/dev/null 2>&1
         $RACELINGS reset counter --workspace "$FULL/ws"; echo "exit $?"
         echo "empty backups $(find "$FULL/ws/.racelings" -type f -size 0 | wc -l)"
         echo "file $(cat "$FULL/ws/exercises/counter/counter.ts")"`,
      );
      const ok =
        out.includes('exit 2') &&
        out.includes('empty backups 0') &&
        out.includes('file // mine') &&
        out.includes('disk is full');
      return seen(ok, out.trim().split('\n').slice(-4).join(' · ').slice(0, 120));
    },
  },
  {
    id: 'init-full-disk',
    fault: 'a full disk; init',
    expected: 'exit 2 with why; nothing left where the workspace was to be',
    async run(h) {
      const out = await h.smallDisk(
        `dd if=/dev/zero of="$FULL/fill" bs=4k >/dev/null 2>&1
         $RACELINGS init "$FULL/new"; echo "exit $?"
         test -e "$FULL/new" && echo "left something" || echo "left nothing"`,
      );
      return seen(
        out.includes('exit 2') && out.includes('left nothing') && out.includes('disk is full'),
        out.trim().split('\n').slice(-3).join(' · ').slice(0, 120),
      );
    },
  },
];

const twoProcesses: FaultCase[] = [
  {
    id: 'parallel-checks',
    fault: 'three checks that pass, at once, on one workspace',
    expected: 'all three done',
    quick: true,
    async run(h) {
      const ws = await h.workspace();
      const ids = ['counter', 'cache', 'transfer'];
      for (const id of ids) writeFileSync(h.exerciseFile(ws, id), h.solution(id));
      const runs = await Promise.all(ids.map((id) => h.cli(['check', id, '--workspace', ws])));
      const done = state(ws).done as string[];
      return seen(
        runs.every((r) => r.code === 0) && ids.every((id) => done.includes(id)),
        `exits ${runs.map((r) => r.code).join(',')}; done: ${done.join(', ')}`,
      );
    },
  },
  {
    id: 'parallel-hints',
    fault: 'three hint counter at once',
    expected: 'three hints counted',
    async run(h) {
      const ws = await h.workspace();
      await Promise.all([1, 2, 3].map(() => h.cli(['hint', 'counter', '--workspace', ws])));
      const hints = state(ws).hints.counter;
      return seen(hints === 3, `hints.counter = ${hints}`);
    },
  },
  {
    id: 'watch-and-others',
    fault:
      'watch counter running; check cache (a pass) and hint transfer elsewhere; then the counter fix saved',
    expected: 'done holds cache and counter; the hint is kept',
    async run(h) {
      const ws = await h.workspace();
      const watch = h.start(['watch', 'counter', '--json', '--workspace', ws]);
      try {
        if (!(await until(() => watch.lines.length > 0, 60_000)))
          return seen(false, 'no first verdict in 60 s');
        writeFileSync(h.exerciseFile(ws, 'cache'), h.solution('cache'));
        await h.cli(['check', 'cache', '--workspace', ws]);
        await h.cli(['hint', 'transfer', '--workspace', ws]);
        writeFileSync(h.exerciseFile(ws, 'counter'), h.solution('counter'));
        await until(() => watch.lines.length > 1, 30_000);
        await sleep(500);
        const { done, hints } = state(ws) as { done: string[]; hints: Record<string, number> };
        return seen(
          done.includes('cache') && done.includes('counter') && hints.transfer === 1,
          `done: ${done.join(', ')}; hints: ${JSON.stringify(hints)}`,
        );
      } finally {
        watch.child.kill('SIGTERM');
        await watch.exited;
      }
    },
  },
];

/** check withdraw with DATABASE_URL set to what `url` makes of the suite's server URL. */
function databaseCase(
  id: string,
  fault: string,
  expected: string,
  url: (server: string) => string,
  judge: (run: Run, verdict: Record<string, unknown> | null) => boolean,
  setup?: (sql: (text: string) => Promise<unknown>) => Promise<void>,
  teardown?: (sql: (text: string) => Promise<unknown>) => Promise<void>,
): FaultCase {
  return {
    id,
    fault: `DATABASE_URL ${fault}; check withdraw`,
    expected,
    async run(h) {
      const server = await h.postgres();
      await setup?.(server.sql);
      try {
        const ws = await solved(h, 'withdraw');
        const run = await h.cli(['check', 'withdraw', '--json', '--workspace', ws], {
          env: { DATABASE_URL: url(server.url) },
        });
        const parsed = verdictOf(run);
        const verdict = 'verdict' in parsed ? parsed.verdict : null;
        const databases = await server.sql(
          "SELECT datname FROM pg_database WHERE datname LIKE 'racelings\\_%'",
        );
        const shown = verdict
          ? String(verdict.setupProblem ?? verdict.reason).slice(0, 80)
          : run.stderr.slice(0, 80);
        return seen(
          judge(run, verdict) && databases.length === 0,
          `exit ${run.code}: ${shown}; ${databases.length} racelings databases on the server`,
        );
      } finally {
        await teardown?.(server.sql);
      }
    },
  };
}

const databaseUrl: FaultCase[] = [
  databaseCase(
    'db-good',
    'names a good server',
    'exit 0, and no database left on it',
    (url) => url,
    (run) => run.code === 0,
  ),
  databaseCase(
    'db-closed',
    'names a closed port',
    'exit 2, setupProblem',
    () => 'postgres://u:secret@127.0.0.1:1/db',
    (run, v) => run.code === 2 && typeof v?.setupProblem === 'string',
  ),
  databaseCase(
    'db-password',
    'has a wrong password',
    'exit 2, setupProblem naming the password',
    (url) => url.replace(/:[^:@/]+@/, ':wrong@'),
    (run, v) => run.code === 2 && /password/.test(String(v?.setupProblem)),
  ),
  databaseCase(
    'db-no-createdb',
    'names a user without CREATEDB',
    'exit 2, setupProblem naming CREATEDB',
    (url) => url.replace(/\/\/[^@]+@/, '//faults_nocreatedb:faults@'),
    (run, v) => run.code === 2 && /CREATEDB/.test(String(v?.setupProblem)),
    async (sql) => {
      await sql("CREATE ROLE faults_nocreatedb LOGIN PASSWORD 'faults' NOCREATEDB");
    },
    async (sql) => {
      await sql('DROP ROLE IF EXISTS faults_nocreatedb');
    },
  ),
  databaseCase(
    'db-stale',
    'holds a racelings database of a killed racelings (an hour old, no session)',
    'exit 0; the stale database is dropped',
    (url) => url,
    (run) => run.code === 0,
    async (sql) => {
      await sql('CREATE DATABASE racelings_faults_stale');
      await sql(
        `COMMENT ON DATABASE racelings_faults_stale IS 'racelings grading database, made ${new Date(Date.now() - 3600_000).toISOString()}'`,
      );
    },
    async (sql) => {
      await sql('DROP DATABASE IF EXISTS racelings_faults_stale');
    },
  ),
];

const environment: FaultCase[] = [
  {
    id: 'tmpdir-proc',
    fault: 'TMPDIR=/proc; check withdraw',
    expected: 'exit 2 at once, saying TMPDIR cannot be used',
    async run(h) {
      const ws = await h.workspace();
      const run = await h.cli(['check', 'withdraw', '--json', '--workspace', ws], {
        env: { TMPDIR: '/proc' },
        timeoutMs: 60_000,
      });
      const parsed = verdictOf(run);
      const problem = 'verdict' in parsed ? String(parsed.verdict.setupProblem) : parsed.none;
      return seen(
        run.code === 2 && problem.includes('/proc'),
        `exit ${run.code} in ${(run.ms / 1000).toFixed(1)} s: ${problem.slice(0, 80)}`,
      );
    },
  },
  {
    id: 'init-spaces',
    fault: 'init a path with a space',
    expected: 'the cd hint quoted',
    async run(h) {
      const run = await h.cli(['init', 'my races']);
      rmSync(path.join(h.dir, 'my races'), { recursive: true, force: true });
      return seen(run.stdout.includes("cd 'my races'"), run.stdout.split('\n')[2]?.trim() ?? '');
    },
  },
];

/** A token as `encodeReplay` makes one (src/explorer/replay.ts), from its JSON payload. */
const token = (payload: unknown[]) => Buffer.from(JSON.stringify(payload)).toString('base64url');
const twoHits = {
  calls: [
    { op: 'hit', page: 'home' },
    { op: 'hit', page: 'home' },
  ],
  initial: {},
  failures: 0,
};

/** `check counter --replay` of a forged token on the shipped (broken) counter: refused, never a pass. */
function forgedToken(id: string, fault: string, payload: unknown[]): FaultCase {
  return {
    id,
    fault: `check counter --replay: a token with ${fault} (issue 11.7)`,
    expected: 'exit 2, not passed: the token is not a schedule of counter (or does not fit it)',
    async run(h) {
      const ws = await h.workspace();
      const run = await h.cli(['check', 'counter', '--json', '--workspace', ws, '--replay', token(payload)]);
      const parsed = verdictOf(run);
      if ('none' in parsed) return seen(false, parsed.none);
      const reason = String(parsed.verdict.reason);
      return seen(
        run.code === 2 &&
          parsed.verdict.passed === false &&
          /token is not a schedule of counter|schedule of this token does not fit counter/.test(reason),
        `exit ${run.code}, passed ${parsed.verdict.passed}: ${reason.slice(0, 100)}`,
      );
    },
  };
}

const replayTokens: FaultCase[] = [
  forgedToken('token-workload', 'a workload the check has no call for', [
    2,
    'counter',
    2,
    { calls: [{ op: 'explode', page: 'home' }], initial: {}, failures: 0 },
    [{ a: 0 }],
  ]),
  forgedToken('token-steps', 'steps that name no task of it', [
    2,
    'counter',
    2,
    twoHits,
    [{ a: 7 }, { t: 42, o: 9 }],
  ]),
  forgedToken('token-version', 'another version of the check', [
    2,
    'counter',
    99,
    twoHits,
    [{ a: 0 }, { a: 1 }],
  ]),
];

/** `watch counter --json` after its first verdict; `fault` is done to the workspace, then judged. */
function watchCase(
  id: string,
  fault: string,
  expected: string,
  act: (ws: string, watch: ReturnType<Harness['start']>, h: Harness) => Promise<Observation>,
): FaultCase {
  return {
    id,
    fault: `watch counter --json: ${fault}`,
    expected,
    async run(h) {
      const ws = await h.workspace();
      const watch = h.start(['watch', 'counter', '--json', '--workspace', ws]);
      try {
        if (!(await until(() => watch.lines.length > 0, 60_000)))
          return seen(false, 'no first verdict in 60 s');
        return await act(ws, watch, h);
      } finally {
        watch.child.kill('SIGTERM');
        await watch.exited;
      }
    },
  };
}

const passedLine = (line: string | undefined) =>
  line !== undefined && (JSON.parse(line) as { passed: boolean }).passed;

const watchRearm: FaultCase[] = [
  watchCase(
    'watch-folder-moved',
    'mv exercises x && mv x exercises (a checkout, a sync tool), then the fix saved (issue 11.3)',
    'the fix is graded: a passed verdict',
    async (ws, watch, h) => {
      const folder = path.join(ws, 'exercises');
      renameSync(folder, `${folder}-away`);
      await sleep(1000);
      renameSync(`${folder}-away`, folder);
      await sleep(1500);
      writeFileSync(h.exerciseFile(ws, 'counter'), h.solution('counter'));
      const graded = await until(() => passedLine(watch.lines.at(-1)), 30_000);
      const manual = /not reported|manual/i.test(watch.said.text);
      return seen(
        graded || manual,
        graded
          ? `passed, ${watch.lines.length} verdicts`
          : `no verdict of the fix in 30 s and no fallback said; stderr: ${watch.said.text.trim().slice(-100)}`,
      );
    },
  ),
  watchCase(
    'watch-file-deleted',
    'the exercise file deleted, then saved back (issue 11.3)',
    'the deletion is said; the file back is graded',
    async (ws, watch, h) => {
      const file = h.exerciseFile(ws, 'counter');
      rmSync(file);
      const said = await until(() => /counter\.ts is missing/.test(watch.said.text), 15_000);
      const before = watch.lines.length;
      writeFileSync(file, h.solution('counter'));
      const graded = await until(() => watch.lines.length > before && passedLine(watch.lines.at(-1)), 30_000);
      return seen(
        said && graded,
        `${said ? 'said: counter.ts is missing' : 'the deletion was not said'}; ${graded ? 'graded again: passed' : 'not graded again in 30 s'}`,
      );
    },
  ),
];

export const CASES: FaultCase[] = [
  ...learnerFaults,
  rapidSaves('rename', true, true),
  rapidSaves('in-place', false),
  rapidSaves('vim', true),
  ...kills,
  ...stateFaults,
  ...twoProcesses,
  ...databaseUrl,
  ...environment,
  ...replayTokens,
  ...watchRearm,
];
