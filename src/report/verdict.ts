/**
 * One layout of a verdict, shared by the Ink screen and plain text (and so by `check`, `watch` and
 * the tutor): the status line, what ran, the timeline, the broken invariant, notes, what was
 * explored, the replay line and what to do next. Reporters only paint it.
 */
import type { Verdict } from '../grader/verdict.js';
import { replayName } from '../workspace/replays.js';
import { command, inContext } from './invocation.js';
import type { Style } from './paint.js';
import { layoutTimeline, MARK, markLine, type TimelineLayout } from './timeline.js';
import { wrap } from './wrap.js';

/** What a piece of text means; each tone has one look (TONES), in Ink and in plain text alike. */
export type Tone = 'plain' | 'passed' | 'failed' | 'warning' | 'dim' | 'bold' | 'mark' | 'invariant' | 'code';

export const TONES: Record<Tone, Style> = {
  plain: {},
  passed: { colour: 'green', bold: true },
  failed: { colour: 'red', bold: true },
  warning: { colour: 'yellow', bold: true },
  dim: { dim: true },
  bold: { bold: true },
  mark: { colour: 'yellow', bold: true },
  invariant: { colour: 'red' },
  code: { colour: 'cyan' },
};

export interface Piece {
  text: string;
  tone: Tone;
}

/** One line on screen: pieces of text side by side. */
export type LayoutLine = Piece[];

/** Where the learner stands, for a pass: "4 of 18 done" and what comes next. */
export interface ProgressView {
  done: number;
  total: number;
  next: { id: string; title: string } | null;
}

export interface LayoutOptions {
  width: number;
  /** Name the exercise in the status line (plain text: several verdicts follow each other). */
  id?: boolean;
  /** `screen`: next steps are keys on the screen; `text`: commands to type. */
  mode: 'screen' | 'text';
  progress?: ProgressView;
  /**
   * The replay command gives the token's short name (workspace/replays.ts), which fits a line of
   * the tutor's screen: the session that graded keeps the token under it.
   */
  replayByName?: boolean;
}

export interface VerdictLayout {
  status: LayoutLine;
  /** Above the timeline: where it failed, the workload, compile errors. */
  head: LayoutLine[];
  timeline: TimelineLayout | null;
  /** Below the timeline: the invariant, notes, console output, explored, replay, what next. */
  tail: LayoutLine[];
}

const piece = (text: string, tone: Tone = 'plain'): Piece => ({ text, tone });

/** `text` wrapped at the width, each line indented by two cells, in one tone. */
function block(text: string, width: number, tone: Tone = 'plain', indent = '  '): LayoutLine[] {
  return wrap(text, width - indent.length).map((line) => [piece(`${indent}${line}`, tone)]);
}

const MAX_DIAGNOSTICS = 5;
const MAX_OUTPUT = 5;
const BAR_WIDTH = 20;

/** "████████░░░░" for done of total. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

function statusLine(verdict: Verdict, options: LayoutOptions): LayoutLine {
  const id = options.id ? [piece(' '), piece(verdict.id, 'bold')] : [];
  const ms = piece(` · ${Math.round(verdict.durationMs)} ms`, 'dim');
  if (verdict.setupProblem !== null) return [piece('! not graded', 'warning'), ...id];
  if (verdict.passed) return [piece('✓ passed', 'passed'), ...id, ms];
  return [piece('✗ failed', 'failed'), ...id, ms];
}

/** The verdict laid out at `options.width` columns. */
export function layoutVerdict(verdict: Verdict, options: LayoutOptions): VerdictLayout {
  const { width } = options;
  const status = statusLine(verdict, options);
  const head: LayoutLine[] = [];
  const tail: LayoutLine[] = [];
  if (verdict.setupProblem !== null) {
    head.push(...block(inContext(verdict.setupProblem), width));
    return { status, head, timeline: null, tail };
  }

  const timeline = verdict.passed || verdict.schedule.length === 0 ? null : layoutTimeline(verdict, width);
  // When the timeline ends with the invariant, the reason only needs to say where it broke.
  const invariant = timeline ? verdict.invariant : null;
  const reason =
    invariant && verdict.reason.endsWith(invariant)
      ? verdict.reason.slice(0, -invariant.length).replace(/[:\s]+$/, '')
      : verdict.reason;
  head.push(...block(inContext(reason), width));
  if (!verdict.passed) {
    for (const line of verdict.diagnostics.slice(verdict.diagnostics.length > 1 ? 0 : 1, MAX_DIAGNOSTICS)) {
      head.push([piece(`  ${line}`, 'warning')]);
    }
  }
  if (verdict.workload) head.push(...block(`workload: ${verdict.workload}`, width, 'dim'));

  if (invariant) tail.push(...block(`✗ ${invariant}`, width, 'invariant'));
  for (const note of verdict.notes) tail.push(...block(`note: ${inContext(note)}`, width, 'warning'));
  if (!verdict.passed && verdict.output.length > 0) {
    tail.push([piece('  console output in this schedule:', 'dim')]);
    for (const line of verdict.output.slice(0, MAX_OUTPUT)) tail.push([piece(`    ${line}`, 'dim')]);
  }
  // A pass says what was explored in its reason already.
  if (!verdict.reason.includes(verdict.explored))
    tail.push(...block(`explored: ${verdict.explored}`, width, 'dim'));
  if (verdict.replay) {
    // One unbroken line: a token cut in two cannot be copied.
    const token = options.replayByName ? replayName(verdict.replay) : verdict.replay;
    tail.push([piece(`  replay: ${command(`check ${verdict.id} --replay ${token}`)}`, 'dim')]);
  }
  if (!verdict.passed) {
    const help =
      options.mode === 'text' ? `stuck? ${command(`hint ${verdict.id}`)}` : 'stuck? h shows the next hint';
    // On screen the key line explains the mark; in text, this line does.
    const marked =
      options.mode === 'text' && timeline && timeline.marked >= 0
        ? `${MARK} marks the step that broke it · `
        : '';
    if (options.mode === 'text') tail.push([piece(`  ${marked}${help}`, 'dim')]);
  }
  if (verdict.passed && options.progress) tail.push(...progressLines(options.progress, options));
  return { status, head, timeline, tail };
}

function progressLines(progress: ProgressView, options: LayoutOptions): LayoutLine[] {
  const lines: LayoutLine[] = [
    [
      piece(`  ${progressBar(progress.done, progress.total)} `, 'passed'),
      piece(`${progress.done} of ${progress.total} exercises done`, 'bold'),
    ],
  ];
  if (progress.next) {
    const how = options.mode === 'screen' ? 'press n' : command(`check ${progress.next.id}`);
    lines.push(...block(`next: ${progress.next.id} — ${progress.next.title} · ${how}`, options.width));
  } else if (progress.done === progress.total) {
    lines.push(...block('every exercise is done — the quiz keeps it fresh', options.width, 'passed'));
  }
  return lines;
}

/** The whole layout as lines, top to bottom (plain text; the screen scrolls the timeline itself). */
export function layoutLines(layout: VerdictLayout): LayoutLine[] {
  const timeline = layout.timeline
    ? [
        [piece(layout.timeline.header, 'bold')],
        ...layout.timeline.rows.flatMap((row) =>
          row.lines.map((line, i): LayoutLine => {
            if (!row.marked) return [piece(line)];
            return [piece(i === 0 ? markLine(line) : line, 'mark')];
          }),
        ),
      ]
    : [];
  return [layout.status, ...layout.head, ...timeline, ...layout.tail];
}
