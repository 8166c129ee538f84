/**
 * A failing schedule laid out once for every reporter: one column per task, one row per step in
 * global order, runs of repeated steps folded into one row, and the step that broke the code marked.
 */
import { FIRED_AT, formatValue, operationText } from '../explorer/format.js';
import type { Step, Verdict } from '../grader/verdict.js';
import { padTo, wrap } from './wrap.js';

/** A row of the timeline: one step, or a folded run of repeats; `lines` are already padded to width. */
export interface TimelineRow {
  /** 0-based index of the first step the row stands for. */
  first: number;
  /** How many steps the row stands for (more than 1 when folded). */
  count: number;
  lines: string[];
  /** The step that broke the code is in this row. */
  marked: boolean;
}

export interface TimelineLayout {
  header: string;
  rows: TimelineRow[];
  /** Index into `rows` of the marked row, or -1. */
  marked: number;
}

/** The marker of the step that broke the code; the screens' key lines explain it. */
export const MARK = '▶';

/** A statement with its parameters in place: `WHERE id = $1` with [7] reads `WHERE id = 7`. */
function withParams(sql: string, args: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (whole, n: string) =>
    Number(n) <= args.length ? formatValue(args[Number(n) - 1]) : whole,
  );
}

/** How one step reads in its task's column. */
export function cellText(step: Step): string {
  if (step.op === 'call') return '• starts';
  if (step.op === 'return' || step.op === 'throw') return step.result;
  // A SQL statement (its text is the op: `SELECT …`, `COMMIT`) shows its parameters inline.
  if (/^[A-Z]{2,}\b/.test(step.op)) return `${withParams(step.op, step.args)} ${step.result}`;
  return `${operationText(step.op, step.args)} ${step.result}`;
}

/**
 * The step to point at: one that failed or threw, else the last effect of a caller before the
 * invariant broke (for a lost update, the write that overwrote the other task's). Background steps
 * (a TTL firing, a timer) are passed over: they are the world moving, not the code under test.
 */
export function failingStep(verdict: Pick<Verdict, 'schedule'>): number {
  const { schedule } = verdict;
  if (schedule.length === 0) return -1;
  const failed = schedule.findIndex((step) => step.result === 'fails' || step.op === 'throw');
  if (failed >= 0) return failed;
  for (let i = schedule.length - 1; i >= 0; i--) {
    const { op, task } = schedule[i]!;
    if (op !== 'call' && op !== 'return' && task !== 'background') return i;
  }
  return schedule.length - 1;
}

/** A result without its virtual time (firedAt): a timer firing again and again is one step repeated. */
const timeless = (result: string) => result.replace(FIRED_AT, '(t=…)');

const sameStep = (a: Step, b: Step) =>
  a.task === b.task &&
  a.op === b.op &&
  timeless(a.result) === timeless(b.result) &&
  formatValue(a.args) === formatValue(b.args);

/** A folded run's step as one row: its virtual times, if any, as the span they cover. */
function spanOf(first: Step, last: Step): Step {
  const from = FIRED_AT.exec(first.result)?.[1];
  const to = FIRED_AT.exec(last.result)?.[1];
  if (from === undefined || to === undefined || from === to) return first;
  return { ...first, result: first.result.replace(FIRED_AT, `(t=${from}–${to} ms)`) };
}

/** Fewer repeats than this stay as they are: two identical rows read fine. */
const MIN_REPEATS = 3;
/** Longest repeated block looked for (t1 polls, t2 polls, … is a block of 2). */
const MAX_BLOCK = 4;

/** A piece of the schedule: `block` steps from `first`, shown once, standing for `times` repeats. */
interface Run {
  first: number;
  block: number;
  times: number;
}

/** The schedule cut into runs: a block repeated MIN_REPEATS times or more becomes one run. */
export function foldRepeats(schedule: readonly Step[]): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < schedule.length; ) {
    let best: Run = { first: i, block: 1, times: 1 };
    for (let block = 1; block <= MAX_BLOCK; block++) {
      let times = 1;
      while (
        i + (times + 1) * block <= schedule.length &&
        Array.from({ length: block }, (_, k) => k).every((k) =>
          sameStep(schedule[i + k]!, schedule[i + times * block + k]!),
        )
      ) {
        times++;
      }
      if (times >= MIN_REPEATS && block * times > best.block * best.times) best = { first: i, block, times };
    }
    if (best.times >= MIN_REPEATS) {
      runs.push(best);
      i += best.block * best.times;
    } else {
      runs.push({ first: i, block: 1, times: 1 });
      i += 1;
    }
  }
  return runs;
}

/** A cell longer than its column wraps onto at most this many lines; the rest is cut with '…'. */
const MAX_CELL_LINES = 4;

/** The timeline at `width` columns, repeats folded, the failing step marked. */
export function layoutTimeline(verdict: Pick<Verdict, 'schedule' | 'tasks'>, width: number): TimelineLayout {
  const { schedule } = verdict;
  const columns = verdict.tasks.map((label) => label.split(' ')[0]!);
  const runs = foldRepeats(schedule);
  const labels = runs.flatMap((run) =>
    run.times === 1
      ? [String(run.first + 1)]
      : Array.from({ length: run.block }, (_, k) =>
          run.block === 1 ? `${run.first + 1}–${run.first + run.times}` : String(run.first + k + 1),
        ),
  );
  const numberWidth = Math.max(1, ...labels.map((label) => label.length));
  // Two cells of margin for the mark, the number, two cells before the first column.
  const gutter = numberWidth + 4;
  const cellWidth = Math.max(16, Math.floor((width - gutter) / Math.max(1, columns.length)) - 2);
  const number = (label: string) => label.padStart(numberWidth);
  const line = (label: string, column: number, part: string) =>
    `  ${number(label)}  ${columns.map((_, c) => padTo(c === column ? part : '', cellWidth)).join('  ')}`.trimEnd();
  const stepRow = (index: number, label: string, suffix = '', step = schedule[index]!): string[] => {
    const column = columns.indexOf(step.task);
    const cell = wrap(`${cellText(step)}${suffix}`, cellWidth, { maxLines: MAX_CELL_LINES });
    return cell.map((part, i) => line(i === 0 ? label : '', column, part));
  };

  const failing = failingStep(verdict);
  const rows: TimelineRow[] = [];
  for (const run of runs) {
    const span = run.block * run.times;
    const holds = failing >= run.first && failing < run.first + span;
    if (run.times === 1) {
      rows.push({
        first: run.first,
        count: 1,
        lines: stepRow(run.first, String(run.first + 1)),
        marked: holds,
      });
    } else if (run.block === 1) {
      rows.push({
        first: run.first,
        count: run.times,
        lines: stepRow(
          run.first,
          `${run.first + 1}–${run.first + run.times}`,
          ` ×${run.times}`,
          spanOf(schedule[run.first]!, schedule[run.first + run.times - 1]!),
        ),
        marked: holds,
      });
    } else {
      for (let k = 0; k < run.block; k++) {
        const index = run.first + k;
        rows.push({
          first: index,
          count: 1,
          lines: stepRow(index, String(index + 1)),
          marked: holds && (failing - run.first) % run.block === k,
        });
      }
      const last = run.first + span;
      rows.push({
        first: run.first + run.block,
        count: span - run.block,
        lines: [
          `  ${number('⋮')}  the ${run.block} steps above repeat ${run.times - 1} more times (steps ${run.first + run.block + 1}–${last})`,
        ],
        marked: false,
      });
    }
  }
  const header =
    `  ${number('#')}  ${verdict.tasks.map((label) => padTo(label, cellWidth)).join('  ')}`.trimEnd();
  return { header, rows, marked: rows.findIndex((row) => row.marked) };
}

/** `line` with the mark put in its margin. */
export function markLine(line: string): string {
  return `${MARK} ${line.slice(2)}`;
}
