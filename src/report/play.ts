/**
 * One layout of a `racelings play` position, shared by the Ink screen and plain text: the goal,
 * one column per caller with the code around its next step, the shared state, the run so far (or,
 * once it broke, the verdict a check would give), and what the explorer knows.
 */
import type { CallerView, Known, Move, PlayPosition } from '../grader/position.js';
import { movesCount, movesText } from '../grader/position.js';
import { cellText, layoutTimeline, markLine, type TimelineLayout } from './timeline.js';
import { type LayoutLine, layoutVerdict, type Piece, type Tone, type VerdictLayout } from './verdict.js';
import { cellWidth, padTo, wrap } from './wrap.js';

/** A caller's column is at least this wide; narrower terminals stack the callers instead. */
const MIN_COLUMN = 34;
const GAP = 3;
/** Lines of code shown around a caller's next step: this many before and after it. */
const CONTEXT = 1;

export interface PlayLayoutOptions {
  width: number;
  /** What to make happen: the exercise's goal (course.yaml), or a generic one. */
  goal: string;
  /** What the explorer knows of this workload, once asked (a hint, a break, "prove it"). */
  known: Known | null;
  /**
   * The hint asked for (`?`): a schedule that breaks the code from where the learner was (null
   * while it is searched), and how many of its next moves to show.
   */
  hint: { lead: Known | null; reveal: number } | null;
  /** `prove it` was asked for: say what the explorer proved. */
  proof: boolean;
}

export interface PlayLayout {
  head: LayoutLine[];
  /** One block per caller, side by side when they fit, else one under the other. */
  callers: LayoutLine[];
  state: LayoutLine[];
  /** The run so far, or the verdict's timeline once it broke (its marked row then counts). */
  timeline: TimelineLayout | null;
  /** Once broken: the verdict as a check lays it out; else what the run came to, when finished. */
  verdict: VerdictLayout | null;
  /** The step count against the explorer's, the hint, the proof. */
  tail: LayoutLine[];
}

const piece = (text: string, tone: Tone = 'plain'): Piece => ({ text, tone });
const lineWidth = (line: LayoutLine) => line.reduce((sum, p) => sum + cellWidth(p.text), 0);

/** `line` cut to `width` cells (a final '…'), then padded to it. */
function fitTo(line: LayoutLine, width: number): LayoutLine {
  const out: LayoutLine = [];
  let left = width;
  for (const p of line) {
    if (left <= 0) break;
    const size = cellWidth(p.text);
    if (size <= left) {
      out.push(p);
      left -= size;
    } else {
      out.push({ ...p, text: padTo(p.text, left) });
      left = 0;
    }
  }
  if (left > 0) out.push(piece(' '.repeat(left)));
  return out;
}

/** The source lines around `line` (1-based), their common indentation removed, the line itself marked. */
function excerpt(source: readonly string[], line: number): LayoutLine[] {
  const first = Math.max(1, line - CONTEXT);
  const last = Math.min(source.length, line + CONTEXT);
  const lines = source.slice(first - 1, last);
  const indent = Math.min(
    ...lines.filter((text) => text.trim() !== '').map((text) => text.length - text.trimStart().length),
  );
  const digits = String(last).length;
  return lines.map((text, i) => {
    const number = first + i;
    const code = text.slice(Number.isFinite(indent) ? indent : 0);
    const here = number === line;
    return [
      piece(`${here ? '▶' : ' '} ${String(number).padStart(digits)} │ `, here ? 'mark' : 'dim'),
      piece(code, here ? 'code' : 'dim'),
    ];
  });
}

/** What a caller's column shows: its call, its next step or how it ended, and the code it waits at. */
function callerBlock(caller: CallerView, source: readonly string[], width: number): LayoutLine[] {
  const key = caller.caller === 0 ? '0' : String(caller.caller);
  const lines: LayoutLine[] = [[piece(`[${key}] `, 'bold'), piece(caller.label, 'bold')]];
  const next = caller.next ? cellText({ task: '', ...caller.next, result: '' }).trim() : '';
  switch (caller.state) {
    case 'ready':
    case 'not started':
      lines.push([piece('next: ', 'dim'), piece(next, 'code')]);
      if (caller.canFail) lines.push([piece(`f then ${key}: make it fail`, 'dim')]);
      break;
    case 'blocked':
      lines.push([piece('next: ', 'dim'), piece(next, 'code')]);
      for (const text of wrap(`⏸ ${caller.note ?? 'cannot move now'}`, width))
        lines.push([piece(text, 'warning')]);
      break;
    case 'done':
      lines.push([piece(caller.note ?? '✓ done', 'passed')]);
      break;
    default:
      for (const text of wrap(caller.note ?? caller.state, width)) lines.push([piece(text, 'failed')]);
  }
  if (caller.line !== null && caller.line <= source.length) lines.push(...excerpt(source, caller.line));
  return lines.map((line) => fitTo(line, width));
}

/** Blocks side by side, each `width` wide, GAP apart; shorter ones padded with blank lines. */
function sideBySide(blocks: LayoutLine[][], width: number): LayoutLine[] {
  const height = Math.max(0, ...blocks.map((block) => block.length));
  const rows: LayoutLine[] = [];
  for (let row = 0; row < height; row++) {
    const line: LayoutLine = [];
    blocks.forEach((block, i) => {
      if (i > 0) line.push(piece(' '.repeat(GAP)));
      line.push(...(block[row] ?? [piece(' '.repeat(width))]));
    });
    rows.push(line);
  }
  return rows;
}

function callerLines(position: PlayPosition, width: number): LayoutLine[] {
  const count = position.callers.length;
  const column = Math.floor((width - GAP * (count - 1)) / Math.max(1, count));
  if (count > 0 && column >= MIN_COLUMN) {
    return sideBySide(
      position.callers.map((caller) => callerBlock(caller, position.source, column)),
      column,
    );
  }
  return position.callers.flatMap((caller, i) => [
    ...(i > 0 ? [[piece('')]] : []),
    ...callerBlock(caller, position.source, width),
  ]);
}

/** The shared state: "label value" items filled into lines, none broken across two. */
function stateLines(position: PlayPosition, width: number): LayoutLine[] {
  if (position.state.length === 0) return [];
  const lines: LayoutLine[] = [[piece('shared state', 'dim')]];
  let current: LayoutLine = [];
  for (const row of position.state) {
    const item: LayoutLine = [piece(`${row.label} `, 'dim'), piece(row.value, 'bold')];
    const size = lineWidth(item);
    if (current.length > 0 && lineWidth(current) + 3 + size > width) {
      lines.push(current);
      current = [];
    }
    if (current.length > 0) current.push(piece(' · ', 'dim'));
    else current.push(piece('  '));
    current.push(...item);
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** How far `moves` follow `shortest` from the start. */
function onPath(moves: readonly Move[], shortest: readonly Move[]): number {
  let i = 0;
  while (i < moves.length && i < shortest.length && movesText([moves[i]!]) === movesText([shortest[i]!])) i++;
  return i;
}

/** Whether `moves` start `schedule`. */
export function follows(moves: readonly Move[], schedule: readonly Move[]): boolean {
  return onPath(moves, schedule) === moves.length;
}

/** The hint: the next moves of a schedule that breaks the code from here, or why there is none. */
function hintLines(
  moves: readonly Move[],
  hint: NonNullable<PlayLayoutOptions['hint']>,
  known: Known | null,
  width: number,
): LayoutLine[] {
  const { lead, reveal } = hint;
  let text: string;
  let tone: Tone = 'warning';
  if (lead === null) {
    text = 'hint: looking for a way to break it from here…';
    tone = 'dim';
  } else if (lead.problem) {
    text = `hint: ${lead.problem}`;
  } else if (lead.shortest && follows(moves, lead.shortest)) {
    const rest = lead.shortest.slice(moves.length);
    const shown = rest.slice(0, Math.max(1, reveal));
    text = `hint: from here it breaks in ${rest.length} more move${rest.length === 1 ? '' : 's'}: ${movesText(shown)}${shown.length < rest.length ? ' … (? shows one more)' : ''}`;
  } else if (lead.shortest) {
    text = 'hint: your moves have left the hinted path — ? for a hint from here, u steps back';
  } else if (known?.shortest) {
    text = `hint: nothing breaks it from here (${lead.explored} tried): u steps back, or r and start with ${movesText(known.shortest.slice(0, 2))} …`;
  } else {
    text = `hint: nothing breaks it from here (${lead.explored} tried) — p asks the explorer to prove no schedule can`;
    tone = 'dim';
  }
  return wrap(text, width).map((part) => [piece(part, tone)]);
}

/** The step count against the explorer's, the hint toward its schedule, and the proof when asked. */
function tailLines(position: PlayPosition, options: PlayLayoutOptions): LayoutLine[] {
  const { known, width } = options;
  const lines: LayoutLine[] = [];
  const say = (text: string, tone: Tone = 'plain') => {
    for (const part of wrap(text, width)) lines.push([piece(part, tone)]);
  };
  const broke = position.verdict !== null;
  if (broke && known?.shortest) {
    const mine = position.moves.length;
    const theirs = known.shortest.length;
    say(
      mine <= theirs
        ? `you broke it in ${movesCount(mine)}: as short as the explorer's shortest schedule (${theirs}).`
        : `you broke it in ${movesCount(mine)}; the explorer's shortest schedule takes ${theirs}: ${movesText(known.shortest)}`,
      'passed',
    );
  } else if (broke && known === null) {
    say('asking the explorer for its shortest schedule…', 'dim');
  }
  if (position.finished && !broke) {
    say(
      known?.shortest
        ? `nothing broke in this schedule, but one breaks it in ${movesCount(known.shortest.length)}: r to restart, ? for a hint.`
        : 'nothing broke in this schedule: every caller settled and every invariant held.',
      known?.shortest ? 'warning' : 'passed',
    );
  }
  if (options.hint && !broke) lines.push(...hintLines(position.moves, options.hint, known, width));
  if (options.proof) {
    if (known === null) say('asking the explorer to prove it…', 'dim');
    else if (known.problem) say(`cannot prove it: ${known.problem}`, 'warning');
    else if (known.shortest)
      say(
        `not safe: the explorer breaks this workload in ${movesCount(known.shortest.length)} (? shows how).`,
        'failed',
      );
    else if (known.exhaustive)
      say(`proven: ${known.explored} keep every invariant — no choice of yours can break it.`, 'passed');
    else say(`no break found in ${known.explored}.`, 'passed');
  }
  return lines;
}

/** The position laid out at `options.width` columns. */
export function layoutPlay(position: PlayPosition, options: PlayLayoutOptions): PlayLayout {
  const { width } = options;
  const head: LayoutLine[] = [];
  for (const part of wrap(`goal: ${options.goal}`, width)) head.push([piece(part, 'bold')]);
  const { index, count, text } = position.workload;
  for (const part of wrap(`workload ${index + 1} of ${count}: ${text}`, width))
    head.push([piece(part, 'dim')]);
  if (position.problem !== null) {
    return {
      head,
      callers: [],
      state: [],
      timeline: null,
      verdict: null,
      tail: wrap(position.problem, width).map((t) => [piece(t, 'warning')]),
    };
  }
  const verdict = position.verdict ? layoutVerdict(position.verdict, { width, mode: 'screen' }) : null;
  let timeline = verdict?.timeline ?? null;
  if (!timeline && position.schedule.length > 0) {
    // The run so far: nothing broke, so no step is marked.
    const laid = layoutTimeline(position, width);
    timeline = { ...laid, rows: laid.rows.map((row) => ({ ...row, marked: false })), marked: -1 };
  }
  return {
    head,
    callers: callerLines(position, width),
    state: stateLines(position, width),
    timeline,
    verdict,
    tail: tailLines(position, options),
  };
}

/** The whole layout as lines, top to bottom, the marked row of a broken run marked (plain text). */
export function playLines(layout: PlayLayout): LayoutLine[] {
  const blank: LayoutLine = [piece('')];
  const lines: LayoutLine[] = [...layout.head, blank, ...layout.callers];
  if (layout.state.length > 0) lines.push(blank, ...layout.state);
  lines.push(blank);
  if (layout.verdict) lines.push(layout.verdict.status, ...layout.verdict.head);
  if (layout.timeline) {
    lines.push([piece(layout.timeline.header, 'bold')]);
    for (const row of layout.timeline.rows) {
      row.lines.forEach((text, i) => {
        lines.push(row.marked ? [piece(i === 0 ? markLine(text) : text, 'mark')] : [piece(text)]);
      });
    }
  } else {
    lines.push([piece('no step yet: each move names the caller whose next step runs', 'dim')]);
  }
  if (layout.verdict) lines.push(...layout.verdict.tail);
  lines.push(...layout.tail);
  return lines;
}
