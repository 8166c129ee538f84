import { existsSync, statSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Course, Exercise } from '../course/types.js';
import { UserError } from '../errors.js';

/** The folder inside a workspace that marks it and holds the tutor's own files. */
export const MARKER = '.racelings';

export interface Workspace {
  dir: string;
}

export const exerciseFile = (ws: Workspace, exercise: Exercise) => path.join(ws.dir, 'exercises', exercise.id, exercise.file);
export const statementFile = (ws: Workspace, exercise: Exercise) =>
  path.join(ws.dir, 'exercises', exercise.id, exercise.statement);
export const exercisesDir = (ws: Workspace) => path.join(ws.dir, 'exercises');
export const tutorDir = (ws: Workspace) => path.join(ws.dir, MARKER);
export const isWorkspace = (dir: string) => existsSync(path.join(dir, MARKER));

/**
 * Which workspace a command works on: --workspace, else the workspace around the current
 * directory, else (inside a clone of racelings) the clone's own default workspace.
 */
export async function resolveWorkspace(course: Course, flag: string | undefined, cwd = process.cwd()): Promise<Workspace> {
  if (flag !== undefined) {
    const dir = path.resolve(cwd, flag);
    if (!isWorkspace(dir)) {
      throw new UserError(`${flag} is not a racelings workspace`, `create one with 'racelings init ${flag}'`);
    }
    return { dir };
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (isWorkspace(dir)) return { dir };
    if (path.dirname(dir) === dir) break;
  }
  const inClone = existsSync(path.join(course.root, '.git')) && isInside(cwd, course.root);
  if (inClone) {
    const dir = path.join(course.root, 'workspace');
    if (!isWorkspace(dir)) await initWorkspace(dir, course);
    return { dir };
  }
  throw new UserError(
    'no racelings workspace here',
    "create one with 'racelings init DIR' and run racelings inside it, or pass --workspace DIR",
  );
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const GITIGNORE = `# racelings: backups of reset exercises stay local
.racelings/backups/
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

- \`npx racelings\` — the tutor: lessons, the current exercise graded on every save, the quiz.
- \`npx racelings check ID\` — grade one exercise; \`npx racelings hint ID\` — the next hint.
- \`npx racelings list\` — every exercise and its status.

| exercise | what is broken | file |
| --- | --- | --- |
${rows.join('\n')}

Your progress lives in \`.racelings/\` as plain JSON; commit this folder to keep it.
`;
}

/** Create a workspace: the pristine exercises, a README, a .gitignore and fresh state. */
export async function initWorkspace(dir: string, course: Course): Promise<Workspace> {
  if (isWorkspace(dir)) throw new UserError(`${dir} is already a racelings workspace`, `cd ${dir} && npx racelings`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`${dir} exists and is not a folder`, 'pick another name');
  if (existsSync(dir) && (await readdir(dir)).length > 0) {
    throw new UserError(`${dir} is not empty`, 'pick a new folder name; racelings never writes over your files');
  }
  await mkdir(path.join(dir, MARKER), { recursive: true });
  const ws = { dir };
  for (const exercise of course.exercises) {
    await copyPristine(course, ws, exercise);
    await copyFile(
      path.join(course.root, 'exercises', exercise.id, exercise.statement),
      statementFile(ws, exercise),
    );
  }
  await writeFile(path.join(dir, 'README.md'), learnerReadme(course));
  await writeFile(path.join(dir, '.gitignore'), GITIGNORE);
  await writeFile(path.join(dir, 'tsconfig.json'), TSCONFIG);
  return ws;
}

export async function copyPristine(course: Course, ws: Workspace, exercise: Exercise): Promise<void> {
  const target = exerciseFile(ws, exercise);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(path.join(course.root, 'exercises', exercise.id, exercise.file), target);
}

/** Restore the pristine file, keeping the learner's version in .racelings/backups/. */
export async function resetExercise(course: Course, ws: Workspace, exercise: Exercise): Promise<string | null> {
  const file = exerciseFile(ws, exercise);
  let backup: string | null = null;
  if (existsSync(file)) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backup = path.join(tutorDir(ws), 'backups', exercise.id, `${stamp}-${exercise.file}`);
    await mkdir(path.dirname(backup), { recursive: true });
    await writeFile(backup, await readFile(file));
  }
  await copyPristine(course, ws, exercise);
  return backup;
}
