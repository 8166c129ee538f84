import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded: typeof import('yaml') | null = null;

/**
 * The yaml library, loaded on first use (its CommonJS build, synchronously): a command that reads
 * no YAML, such as a check whose course comes from the cache (course.ts), does not pay the
 * ~70 ms it takes to load.
 */
export function yaml(): typeof import('yaml') {
  loaded ??= require('yaml') as typeof import('yaml');
  return loaded;
}
