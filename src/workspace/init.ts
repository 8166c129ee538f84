import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Course } from '../course/types.js';
import { describeFileError, UserError } from '../errors.js';
import { ProgressStore } from './state.js';
import { copyPristine, isWorkspace, MARKER, type Workspace } from './workspace.js';

const GITIGNORE = `# racelings: backups of reset exercises and the lock of a write under way stay local
.racelings/backups/
.racelings/*.lock/
node_modules/
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2022"],
    "module": "NodeNext",
    "strict": true,
    "noEmit": true,
    "types": []
  },
  "include": ["exercises"]
}
`;

function learnerReadme(course: Course): string {
  const rows = course.exercises.map((e) => `| \`${e.id}\` | ${e.title} | \`exercises/${e.id}/${e.file}\` |`);
  return `# My racelings workspace

Each folder under \`exercises/\` holds one broken TypeScript file and its statement (README.md).
Fix the file; the hidden checks explore every interleaving they can and show the one that breaks it.

- \`racelings\` — the tutor: lessons, the current exercise graded on every save, the quiz.
- \`racelings check ID\` — grade one exercise; \`racelings hint ID\` — the next hint.
- \`racelings list\` — every exercise and its status.

(\`racelings\` is the command a global install or \`npm link\` gives; see the racelings README.)

| exercise | what is broken | file |
| --- | --- | --- |
${rows.join('\n')}

Your progress lives in \`.racelings/\` as plain JSON; commit this folder to keep it.
`;
}

/** A path as a POSIX shell reads it back: quoted when it holds a space or another special character. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * Create a workspace: the pristine exercises, a README, a .gitignore and fresh state. `dir` must
 * be new or empty; when a write fails (a full disk), everything made so far is removed, so that
 * `init` can simply run again, and a UserError says why.
 */
export async function createWorkspace(dir: string, course: Course): Promise<Workspace> {
  if (isWorkspace(dir))
    throw new UserError(`${dir} is already a racelings workspace`, `cd ${shellQuote(dir)} && racelings`);
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UserError(`${dir} exists and is not a folder`, 'pick another name');
  const existed = existsSync(dir);
  if (existed && (await readdir(dir)).length > 0) {
    throw new UserError(
      `${dir} is not empty`,
      'pick a new folder name; racelings never writes over your files',
    );
  }
  const ws = { dir };
  try {
    await mkdir(path.join(dir, MARKER), { recursive: true });
    for (const exercise of course.exercises) await copyPristine(course, ws, exercise);
    await writeFile(path.join(dir, 'README.md'), learnerReadme(course));
    await writeFile(path.join(dir, '.gitignore'), GITIGNORE);
    await writeFile(path.join(dir, 'tsconfig.json'), TSCONFIG);
    await ProgressStore.create(ws, course);
  } catch (error) {
    // The folder was new or empty: all it holds now is ours to take back.
    const made = existed ? (await readdir(dir).catch(() => [])).map((name) => path.join(dir, name)) : [dir];
    await Promise.all(made.map((entry) => rm(entry, { recursive: true, force: true })));
    if (error instanceof UserError) throw error;
    const { why, fix } = describeFileError(error);
    throw new UserError(`could not create the workspace in ${dir}: ${why}; nothing was left there`, fix);
  }
  return ws;
}
