import type { Check } from './check.js';
import { CHECK_IDS, loadCheck } from './load.js';

/**
 * The hidden check of each exercise graded by the explorer, by exercise id: every check load.ts
 * knows, loaded at once (for tests and the bench; a grader loads only the one it grades).
 */
export const CHECKS: Record<string, Check> = Object.fromEntries(
  await Promise.all(CHECK_IDS.map(async (id) => [id, (await loadCheck(id)) as Check] as const)),
);
