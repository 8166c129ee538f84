import { pathToFileURL } from 'node:url';
import { Spinner } from '@inkjs/ui';
import { Box, Text } from 'ink';
import { useMemo, useRef, useState } from 'react';
import terminalLink from 'terminal-link';
import { hintBlocks } from '../report/hints.js';
import { command } from '../report/invocation.js';
import { renderMarkdown } from '../report/markdown.js';
import { MARK } from '../report/timeline.js';
import { type LayoutLine, layoutVerdict, type ProgressView } from '../report/verdict.js';
import type { SessionEvent } from '../session/events.js';
import type { ExerciseView, OpenExercise } from '../session/state.js';
import { type KeyHelp, KeyLine, keyLineRows } from './KeyLine.js';
import { useKeys } from './keys.js';
import { Line } from './Line.js';
import { position, useViewport } from './viewport.js';

export interface ExerciseScreenProps {
  exercise: ExerciseView;
  open: OpenExercise;
  hintsSeen: number;
  progress: ProgressView;
  /** The manual-mode message, when saves are not reported. */
  manual: string | null;
  notice: string | null;
  color: boolean;
  columns: number;
  rows: number;
  interactive: boolean;
  send: (event: SessionEvent) => void;
}

/** Lines longer than this are hard to read, however wide the terminal. */
const MAX_WIDTH = 120;
const CODE_WIDTH = 400;
/** Title, file, the statement's header, the blank line before the verdict, the verdict's status,
 * and one row spare: Ink clears the whole screen each frame once output reaches the terminal's height. */
const CHROME_ROWS = 6;

type Pane = 'statement' | 'trace';

function fileLink(exercise: ExerciseView, color: boolean): string {
  if (!color) return exercise.shownAs;
  return terminalLink(exercise.shownAs, pathToFileURL(exercise.file).href, { fallback: (text) => text });
}

const clock = (at: Date) => at.toTimeString().slice(0, 8);

/**
 * Rows for the statement and the trace (the timeline's steps), which scroll on their own while
 * everything else stays: the trace first (it explains the failure), at least a third for the
 * statement when it has that much, and the pane with the focus gets what is left.
 */
export function shareRows(room: number, statement: number, trace: number, focus: Pane) {
  const available = Math.max(0, room);
  if (focus === 'statement') {
    const forTrace = Math.min(trace, Math.max(Math.min(trace, 3), available - statement));
    const traceRows = Math.max(0, Math.min(forTrace, available));
    return { statement: Math.min(statement, available - traceRows), trace: traceRows };
  }
  // A small room goes to the trace alone: two lines of statement help nobody.
  const keep = available >= 9 ? Math.min(statement, Math.floor(available / 3)) : 0;
  const traceRows = Math.min(trace, available - keep);
  return { statement: Math.min(statement, available - traceRows), trace: traceRows };
}

/** Watch mode: the statement, the file, the latest verdict and the hints; every save is graded in place. */
export function ExerciseScreen(props: ExerciseScreenProps) {
  const { exercise, open, hintsSeen, color, columns, rows, send } = props;
  const width = Math.max(20, Math.min(MAX_WIDTH, columns - 1));
  const [showSolution, setShowSolution] = useState(false);
  const [focus, setFocus] = useState<Pane>('trace');
  const verdict = open.verdict;
  const passed = verdict?.passed === true && !open.grading;
  const showing = showSolution && open.solution !== null ? 'solution' : 'statement';

  const statement = useMemo(
    () =>
      open.statement === null
        ? ['reading the statement…']
        : renderMarkdown(open.statement, { width, color, dropTitle: true }),
    [open.statement, width, color],
  );
  // Code is cut at the edge rather than wrapped: a wrapped line of code reads as two.
  const solution = useMemo(
    () =>
      open.solution === null
        ? []
        : renderMarkdown(`\`\`\`ts\n${open.solution}\n\`\`\``, { width: CODE_WIDTH, color }),
    [open.solution, color],
  );
  const text = showing === 'solution' ? solution : statement;
  const layout = useMemo(
    () =>
      verdict
        ? layoutVerdict(verdict, { width, mode: 'screen', progress: props.progress, replayByName: true })
        : null,
    [verdict, width, props.progress],
  );
  const traceLines = useMemo(
    () =>
      layout?.timeline?.rows.flatMap((row) =>
        row.lines.map(
          (line, i): LayoutLine => [
            {
              text: row.marked && i === 0 ? `${MARK} ${line.slice(2)}` : line,
              tone: row.marked ? 'mark' : 'plain',
            },
          ],
        ),
      ) ?? [],
    [layout],
  );
  const markedLine = useMemo(() => {
    const rows = layout?.timeline?.rows ?? [];
    const marked = layout?.timeline?.marked ?? -1;
    return rows.slice(0, Math.max(0, marked)).reduce((sum, row) => sum + row.lines.length, 0);
  }, [layout]);

  const hintBlocksShown = useMemo(
    () => hintBlocks(exercise.hints, hintsSeen, { width, color }),
    [exercise.hints, hintsSeen, width, color],
  );
  const allHints = hintBlocksShown.flat();
  const messages = [props.manual, open.missing, props.notice].filter((m): m is string => m !== null);
  // Messages wrap (a command in them must stay whole): count the rows they take.
  const messageRows = messages.reduce(
    (sum, m) => sum + Math.max(1, Math.ceil(Array.from(m).length / width)),
    0,
  );
  const timelineFixed = layout?.timeline ? 1 : 0;
  // The key line wraps on a narrow terminal: reserve its rows for the most keys it can show.
  const keyRows = keyLineRows(
    [
      ['e', 'edit'],
      ['c', 'check'],
      ['h', 'hint'],
      ['p', 'play'],
      ['s', 'statement'],
      ['n', `next: ${props.progress.next?.id ?? ''}`],
      ['↑↓', 'scroll the statement'],
      ['Tab', 'scroll the statement'],
      ['q', 'back'],
    ],
    width,
    `${MARK} the step that broke it`,
  );
  const fixed =
    CHROME_ROWS +
    keyRows +
    (layout ? layout.head.length + layout.tail.length + timelineFixed : 0) +
    messageRows;
  // Hints share the room with the trace and the statement: all of them when they fit in half of
  // it (a third beside a trace: the interleaving that broke the code is what to read first; on a
  // 24-row terminal half left the trace 3 rows), else the latest, cut with a pointer to the
  // command that prints it whole.
  const free = rows - fixed;
  const hintRoom =
    traceLines.length > 0
      ? Math.max(2, Math.floor(free / 3))
      : text.length > 0
        ? Math.max(2, Math.floor(free / 2))
        : free;
  const hints = useMemo(() => {
    if (allHints.length <= hintRoom) return allHints;
    const latest = hintBlocksShown.at(-1) ?? [];
    if (latest.length <= hintRoom) return latest;
    return [
      ...latest.slice(0, Math.max(1, hintRoom - 1)),
      `  ⋮ the whole hint: ${command(`hint ${exercise.id}`)}`,
    ];
  }, [allHints, hintBlocksShown, hintRoom, exercise.id]);
  const room = free - hints.length;
  // One row of the trace's room says how much more there is, when it does not all fit.
  const overflow =
    traceLines.length > 0 && room < traceLines.length + Math.min(text.length, Math.floor(room / 3)) ? 1 : 0;
  const share = shareRows(room - overflow, text.length, traceLines.length, focus);
  const statementView = useViewport(text.length, share.statement);
  const traceView = useViewport(traceLines.length, share.trace);

  // A new verdict shows its trace from where the marked step can be seen (state adjusted while
  // rendering, as React advises for state that follows a prop).
  const shownLayout = useRef(layout);
  if (shownLayout.current !== layout) {
    shownLayout.current = layout;
    traceView.scrollTo(markedLine - Math.max(0, share.trace - 3));
  }

  // ↑↓ scroll the pane with the focus, or the other one when the focused one shows all it has.
  const overflows = (pane: Pane) =>
    pane === 'trace' ? traceView.view < traceView.total : statementView.view < statementView.total;
  const scrolling: Pane =
    overflows(focus) || !overflows(focus === 'trace' ? 'statement' : 'trace')
      ? focus === 'trace' && traceLines.length === 0
        ? 'statement'
        : focus
      : focus === 'trace'
        ? 'statement'
        : 'trace';
  const canTab = traceLines.length > 0 && text.length > 0;
  useKeys(
    (input, key) => {
      if (input === 'q' || key.escape) send({ type: 'back' });
      else if (input === 'e') send({ type: 'edit' });
      else if (input === 'c') send({ type: 'check' });
      else if (input === 'h') send({ type: 'hint' });
      else if (input === 'p') send({ type: 'play' });
      else if (input === 's' && open.solution !== null) {
        setShowSolution((shown) => !shown);
        statementView.scrollTo(0);
      } else if (input === 'n' && passed && props.progress.next) send({ type: 'next' });
      else if (key.tab && canTab) setFocus(scrolling === 'trace' ? 'statement' : 'trace');
      else if (scrolling === 'trace') traceView.keys(input, key);
      else statementView.keys(input, key);
    },
    { isActive: props.interactive },
  );

  const statementPosition = position(statementView);
  const hidden = statementView.view === 0 && text.length > 0;
  const keys: KeyHelp[] = [
    ['e', 'edit'],
    ['c', 'check'],
    ['h', 'hint'],
    ['p', 'play'],
  ];
  if (open.solution !== null) keys.push(['s', showing === 'solution' ? 'statement' : 'solution']);
  if (passed && props.progress.next) keys.push(['n', `next: ${props.progress.next.id}`]);
  // The statement's pane shows the solution while s has it open: name the pane by what it shows.
  const paneName = (pane: Pane) => (pane === 'statement' ? showing : pane);
  if (statementView.view < statementView.total || traceView.view < traceView.total)
    keys.push(['↑↓', `scroll the ${paneName(scrolling)}`]);
  if (canTab && overflows(scrolling === 'trace' ? 'statement' : 'trace')) {
    keys.push(['Tab', `scroll the ${paneName(scrolling === 'trace' ? 'statement' : 'trace')}`]);
  }
  keys.push(['q', 'back']);
  const hasMark = (layout?.timeline?.marked ?? -1) >= 0;

  return (
    <Box flexDirection="column">
      {/* On a narrow terminal the title gives way: the progress after it stays whole. */}
      <Box width={Math.max(20, columns - 1)}>
        <Box flexShrink={1}>
          <Text wrap="truncate-end">
            <Text bold>{exercise.id}</Text> — {exercise.title}
          </Text>
        </Box>
        <Box flexShrink={0}>
          <Text dimColor>
            {' '}
            · {exercise.tier} · {props.progress.done} of {props.progress.total} done
          </Text>
          {exercise.needs ? <Text color="yellow"> · needs {exercise.needs}</Text> : null}
        </Box>
      </Box>
      <Text wrap="truncate-end">
        <Text dimColor>file </Text>
        {fileLink(exercise, color)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {showing === 'solution' ? '── reference solution' : '── statement'}
        {hidden ? ' (Tab, then ↑↓, to read it)' : statementPosition ? ` · ${statementPosition}` : ''}
        {scrolling === 'statement' && !hidden && statementPosition ? ' · ↑↓ scroll' : ''}
      </Text>
      {text.slice(statementView.top, statementView.top + statementView.view).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a viewport are positional
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      <Text> </Text>
      <Status open={open} status={layout?.status ?? null} />
      {layout?.head.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
        <Line key={`h${i}`} line={line} dim={open.grading} />
      ))}
      {layout?.timeline && (
        <Line line={[{ text: layout.timeline.header, tone: 'bold' }]} dim={open.grading} />
      )}
      {traceLines.slice(traceView.top, traceView.top + traceView.view).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a viewport are positional
        <Line key={`t${i}`} line={line} dim={open.grading} />
      ))}
      {overflow > 0 && (
        <Text dimColor wrap="truncate-end">
          {traceView.view === 0
            ? `  ⋮ ${traceView.total} rows of the trace hidden`
            : `  ⋮ ${position(traceView, 'rows')}`}
          {scrolling === 'trace' ? ' · ↑↓ scroll' : ' · Tab, then ↑↓, to scroll'}
        </Text>
      )}
      {layout?.tail.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
        <Line key={`f${i}`} line={line} dim={open.grading} />
      ))}
      {hints.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
        <Text key={`n${i}`}>{line === '' ? ' ' : line}</Text>
      ))}
      {messages.map((message) => (
        <Box key={message} width={width}>
          <Text color="yellow">{message}</Text>
        </Box>
      ))}
      <KeyLine keys={keys} note={hasMark ? `${MARK} the step that broke it` : undefined} />
    </Box>
  );
}

/** The verdict's first line: grading (a spinner), or the layout's status with when it was checked. */
function Status({ open, status }: { open: OpenExercise; status: LayoutLine | null }) {
  // The save a verdict graded, not the count so far: a save during a grading is graded next.
  const saves = open.verdictSave > 0 ? ` · save ${open.verdictSave}` : '';
  if (open.grading)
    return <Spinner label={`checking${open.gradingSave > 0 ? ` (save ${open.gradingSave})` : ''}…`} />;
  if (!status) return <Text dimColor>not checked yet — press c</Text>;
  const when = open.checkedAt ? ` · checked ${clock(open.checkedAt)}${saves}` : '';
  return <Line line={[...status, { text: when, tone: 'dim' }]} />;
}
