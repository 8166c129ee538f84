import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Course, Exercise } from '../course/types.js';
import { describeFileError, UserError } from '../errors.js';
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

/**
 * Put the exercise's broken file and its statement into the workspace, as shipped. Each file is
 * written whole or not at all (write-file-atomic), so a full disk never leaves a learner's file
 * half-written. Throws a UserError, before writing anything, when the installation lacks a file.
 */
export async function copyPristine(course: Course, ws: Workspace, exercise: Exercise): Promise<void> {
  const source = (name: string) => path.join(course.root, 'exercises', exercise.id, name);
  const contents = await Promise.all(
    [exercise.file, exercise.statement].map((name) =>
      readFile(source(name)).catch(() => {
        throw new UserError(
          `this installation of racelings lacks ${path.relative(course.root, source(name))}`,
          'reinstall racelings (npm install in its folder)',
        );
      }),
    ),
  );
  const target = exerciseFile(ws, exercise);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, contents[0]!);
  await writeFileAtomic(statementFile(ws, exercise), contents[1]!);
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

/**
 * Restore the pristine file and statement, keeping the learner's version in .racelings/backups/.
 * Returns the backup's path (null when there was no file to keep). When the disk refuses a write,
 * throws a UserError and leaves the learner's file as it was, with no empty backup beside it.
 */
export async function resetExercise(
  course: Course,
  ws: Workspace,
  exercise: Exercise,
): Promise<string | null> {
  const file = exerciseFile(ws, exercise);
  let backup: string | null = null;
  try {
    if (existsSync(file)) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      backup = path.join(tutorDir(ws), 'backups', exercise.id, `${stamp}-${exercise.file}`);
      await mkdir(path.dirname(backup), { recursive: true });
      await writeFileAtomic(backup, await readFile(file));
    }
    await copyPristine(course, ws, exercise);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const { why, fix } = describeFileError(error);
    throw new UserError(`could not reset ${exercise.id}: ${why}; your file is unchanged`, fix);
  }
  return backup;
}
