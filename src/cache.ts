/**
 * racelings' cache folder, and JSON values kept there across processes. Everything in it can be
 * made again: losing it only costs time.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import writeFileAtomic from 'write-file-atomic';

/** The cache folder (env-paths: ~/.cache/racelings-nodejs on Linux). */
export const CACHE_DIR = envPaths('racelings').cache;

/**
 * Values of type T kept as JSON files in `folder` of the cache folder, each named by a hash of
 * what it was made from. Best effort both ways: a value that cannot be read (missing, torn, or
 * not `valid`) reads as null, and one that cannot be written is not kept. Writes are atomic, so a
 * reader never sees half a file.
 */
export class JsonCache<T> {
  private readonly dir: string;

  constructor(
    folder: string,
    private readonly valid: (value: T) => boolean = () => true,
  ) {
    this.dir = path.join(CACHE_DIR, folder);
  }

  /** The file of the value made from `parts`, in order. */
  at(...parts: string[]): string {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part).update('\0');
    return path.join(this.dir, `${hash.digest('hex')}.json`);
  }

  read(at: string): T | null {
    try {
      const value = JSON.parse(readFileSync(at, 'utf8')) as T;
      return this.valid(value) ? value : null;
    } catch {
      return null;
    }
  }

  write(at: string, value: T): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomic.sync(at, JSON.stringify(value));
    } catch {
      // Made again by the next process that needs it.
    }
  }
}
