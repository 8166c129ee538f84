import type { Label } from './scenario.js';

/** What a replay token carries: enough to run exactly one schedule again. */
export interface ReplayPoint {
  exercise: string;
  scenario: number;
  labels: Label[];
}

const VERSION = 1;

export function encodeReplay(point: ReplayPoint): string {
  const payload = JSON.stringify([VERSION, point.exercise, point.scenario, point.labels]);
  return Buffer.from(payload).toString('base64url');
}

/** The point a token names, or null when it is not a token of this version. */
export function decodeReplay(token: string): ReplayPoint | null {
  try {
    const [version, exercise, scenario, labels] = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (
      version !== VERSION ||
      typeof exercise !== 'string' ||
      !Number.isInteger(scenario) ||
      !Array.isArray(labels)
    ) {
      return null;
    }
    const valid = labels.every(
      (l: unknown) =>
        typeof l === 'object' &&
        l !== null &&
        (Number.isInteger((l as { a?: number }).a) || Number.isInteger((l as { t?: number }).t)),
    );
    return valid ? { exercise, scenario, labels } : null;
  } catch {
    return null;
  }
}
