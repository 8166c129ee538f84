import type { Label } from './scenario.js';

/**
 * For reading workloads back from replay tokens: a plain object. Here, not with the workloads, so
 * that reading a token (the CLI does, before any grading) loads neither them nor fast-check.
 */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** What a replay token carries: enough to run exactly one schedule of one workload again. */
export interface ReplayPoint {
  exercise: string;
  /** The version of the check the token was made by. */
  version: number;
  /** The workload, as the check's space reads it back (`parse`). */
  workload: unknown;
  labels: Label[];
}

const FORMAT = 2;

export function encodeReplay(point: ReplayPoint): string {
  const payload = JSON.stringify([FORMAT, point.exercise, point.version, point.workload, point.labels]);
  return Buffer.from(payload).toString('base64url');
}

const index = (value: unknown, max = 64): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < max;

/** A label as a token may hold it: small non-negative integers in the known fields, nothing else. */
function isLabel(value: unknown): value is Label {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  const newcomer =
    value.n === undefined
      ? value.h === undefined
      : index(value.n) && (value.h === undefined || index(value.h, 256));
  if (!newcomer) return false;
  if ('a' in value) return index(value.a) && keys.every((k) => ['a', 'n', 'h'].includes(k));
  return (
    index(value.t) &&
    index(value.o, 10_000) &&
    (value.f === undefined || value.f === 1) &&
    keys.every((k) => ['t', 'o', 'f', 'n', 'h'].includes(k))
  );
}

/** The point a token names, or null when it is not a well-formed token of this format. */
export function decodeReplay(token: string): ReplayPoint | null {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (!Array.isArray(decoded) || decoded.length !== 5) return null;
    const [format, exercise, version, workload, labels] = decoded;
    if (format !== FORMAT || typeof exercise !== 'string' || !Number.isInteger(version)) return null;
    if (!Array.isArray(labels) || labels.length === 0 || labels.length > 2000 || !labels.every(isLabel))
      return null;
    return { exercise, version, workload, labels };
  } catch {
    return null;
  }
}
