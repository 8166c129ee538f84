/** How a value reads in a timeline: short, unambiguous, one line. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value === undefined || value === null || typeof value !== 'object') return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * An operation as a timeline reads it: `kv.get('home')`, or, for an operation already written as
 * an expression with its arguments in place (`counts[0]`, `Atomics.add(counts, 0, 1)`), or in
 * words (a checker's event: `views stopped; the database works again`), that text.
 */
export function operationText(op: string, args: readonly unknown[]): string {
  // Already a whole expression (`counts[0] = 1`), or words rather than a name (a checker's event).
  if (args.length === 0 && /[[(= ]/.test(op)) return op;
  return `${op}(${args.map(formatValue).join(', ')})`;
}

/**
 * A count with thousands separators, as en-US writes it: 20000 → "20,000". Without Intl: the first
 * `toLocaleString` of a process loads ICU's locale data, ~40 ms of a cold check (measured in a CPU
 * profile of `racelings check counter`), to print the coverage line.
 */
export function thousands(x: number): string {
  if (!Number.isSafeInteger(x)) return String(x);
  const digits = String(Math.abs(x)).replace(/\B(?=(\d{3})+$)/g, ',');
  return x < 0 ? `-${digits}` : digits;
}

/** `x` things, in words: counted(1, 'workload') → "1 workload", counted(2_000, 'workload') → "2,000 workloads". */
export function counted(x: number, one: string, many = `${one}s`): string {
  return `${thousands(x)} ${x === 1 ? one : many}`;
}

/** What a timer's firing answers in a schedule: the virtual time it fired at (ms). */
export function firedAt(ms: number): string {
  return `fires (t=${ms} ms)`;
}

/** The virtual time in a firedAt answer, as its first group. */
export const FIRED_AT = /\(t=(\d+) ms\)/;
