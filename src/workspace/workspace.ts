import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Course, Exercise } from '../course/types.js';
import { UserError } from '../errors.js';
import { createWorkspace } from './init.js';

/** The folder inside a workspace that marks it and holds the tutor's own files. */
export const MARKER = '.racelings';

export interface Workspace {
  dir: string;
}

export const exerciseFile = (ws: Workspace, exercise: Exercise) =>
  path.join(ws.dir, 'exercises', exercise.id, exercise.file);
export const statementFile = (ws: Workspace, exercise: Exercise) =>
  path.join(ws.dir, 'exercises', exercise.id, exercise.statement);
export const exercisesDir = (ws: Workspace) => path.join(ws.dir, 'exercises');
export const tutorDir = (ws: Workspace) => path.join(ws.dir, MARKER);
export const isWorkspace = (dir: string) => existsSync(path.join(dir, MARKER));

/**
 * Which workspace a command works on: --workspace, else the workspace around the current
 * directory, else (inside a clone of racelings) the clone's own default workspace.
 */
export async function resolveWorkspace(
  course: Course,
  flag: string | undefined,
  cwd = process.cwd(),
): Promise<Workspace> {
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
    if (!isWorkspace(dir)) await createWorkspace(dir, course);
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

/** Put the exercise's broken file and its statement into the workspace, as shipped. */
export async function copyPristine(course: Course, ws: Workspace, exercise: Exercise): Promise<void> {
  const source = (name: string) => path.join(course.root, 'exercises', exercise.id, name);
  const target = exerciseFile(ws, exercise);
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(source(exercise.file), target);
  await copyFile(source(exercise.statement), statementFile(ws, exercise));
}

/**
 * Give a workspace the exercises a newer racelings added since it was created (never touching a
 * file the learner has).
 */
export async function addNewExercises(course: Course, ws: Workspace): Promise<Exercise[]> {
  const added: Exercise[] = [];
  for (const exercise of course.exercises) {
    // A folder the learner has (or deleted the file from) is theirs: only missing ones are added.
    if (existsSync(path.dirname(exerciseFile(ws, exercise)))) continue;
    await copyPristine(course, ws, exercise);
    added.push(exercise);
  }
  return added;
}

/** Restore the pristine file and statement, keeping the learner's version in .racelings/backups/. */
export async function resetExercise(
  course: Course,
  ws: Workspace,
  exercise: Exercise,
): Promise<string | null> {
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
