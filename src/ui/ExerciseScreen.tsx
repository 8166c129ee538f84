import { pathToFileURL } from 'node:url';
import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import terminalLink from 'terminal-link';
import { useKeys } from './keys.js';
import { renderMarkdown } from './markdown.js';
import type { ExerciseInfo, OpenExercise } from './tutor-port.js';
import { VerdictView, verdictHeight } from './VerdictView.js';

export interface ExerciseScreenProps {
  exercise: ExerciseInfo;
  open: OpenExercise;
  hintsSeen: number;
  /** The manual-mode message, when saves are not reported. */
  manual: string | null;
  notice: string | null;
  color: boolean;
  columns: number;
  rows: number;
  interactive: boolean;
  onEdit: () => void;
  onCheck: () => void;
  onHint: () => void;
  /** Offered after a pass; undefined when every exercise is done. */
  onNext?: () => void;
  onBack: () => void;
}

/** Lines longer than this are hard to read, however wide the terminal. */
const MAX_WIDTH = 120;
const CODE_WIDTH = 400;
/** Title, file, pane header, the blank line before the verdict and the key line. */
const CHROME_ROWS = 5;

function fileLink(exercise: ExerciseInfo, color: boolean): string {
  if (!color) return exercise.shownAs;
  return terminalLink(exercise.shownAs, pathToFileURL(exercise.file).href, { fallback: (text) => text });
}

/** Watch mode: the statement, the file, the latest verdict, hints; every save is graded in place. */
export function ExerciseScreen(props: ExerciseScreenProps) {
  const { exercise, open, hintsSeen, color, columns, rows } = props;
  const width = Math.max(20, Math.min(MAX_WIDTH, columns - 1));
  const [pane, setPane] = useState<'statement' | 'solution'>('statement');
  const [top, setTop] = useState(0);
  const passed = open.verdict?.passed === true && !open.checking;
  const showing = pane === 'solution' && open.solution !== null ? 'solution' : 'statement';

  const statement = useMemo(
    () => renderMarkdown(open.statement, { width, color }),
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
  const lines = showing === 'solution' ? solution : statement;

  const hint = hintsSeen > 0 ? exercise.hints[hintsSeen - 1] : undefined;
  // Hints are markdown like the statement: `code` shows as code, not as backticks.
  const hintLines = useMemo(
    () =>
      hint
        ? renderMarkdown(`*hint ${hintsSeen} of ${exercise.hints.length}:* ${hint}`, { width, color })
        : [],
    [hint, hintsSeen, exercise.hints.length, width, color],
  );
  const messages = [props.manual, props.notice].filter((m): m is string => m !== null);
  const used =
    CHROME_ROWS +
    verdictHeight({ verdict: open.verdict, checking: open.checking, error: open.error, width }) +
    hintLines.length +
    messages.length;
  // One row spare: Ink clears the whole screen each frame once output reaches the terminal's height.
  const view = Math.max(0, Math.min(lines.length, rows - 1 - used));
  const last = Math.max(0, lines.length - view);
  const shownTop = Math.min(top, last);
  const scrollBy = (delta: number) => setTop((t) => Math.min(last, Math.max(0, Math.min(t, last) + delta)));

  useKeys(
    (input, key) => {
      if (input === 'q' || key.escape) props.onBack();
      else if (input === 'e') props.onEdit();
      else if (input === 'c') props.onCheck();
      else if (input === 'h') props.onHint();
      else if (input === 's' && open.solution !== null) {
        setPane((p) => (p === 'solution' ? 'statement' : 'solution'));
        setTop(0);
      } else if (input === 'n' && passed) props.onNext?.();
      else if (key.downArrow || input === 'j') scrollBy(1);
      else if (key.upArrow || input === 'k') scrollBy(-1);
      else if (key.pageDown || input === ' ') scrollBy(Math.max(1, view));
      else if (key.pageUp) scrollBy(-Math.max(1, view));
    },
    { isActive: props.interactive },
  );

  const position =
    view >= lines.length ? '' : ` · lines ${shownTop + 1}–${shownTop + view} of ${lines.length} · ↑↓ scroll`;
  const keys = ['e edit', 'c check', 'h hint'];
  if (open.solution !== null) keys.push(showing === 'solution' ? 's statement' : 's solution');
  if (passed && props.onNext) keys.push('n next');
  keys.push('q back');

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{exercise.id}</Text> — {exercise.title}
        <Text dimColor> · {exercise.tier}</Text>
        {exercise.needs ? <Text color="yellow"> · needs {exercise.needs}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        <Text dimColor>file </Text>
        {fileLink(exercise, color)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {showing === 'solution' ? '── reference solution' : '── statement'}
        {position}
      </Text>
      {lines.slice(shownTop, shownTop + view).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a viewport are positional
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      <Text> </Text>
      <VerdictView verdict={open.verdict} checking={open.checking} error={open.error} width={width} />
      {hintLines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
        <Text key={i}>{line}</Text>
      ))}
      {messages.map((message) => (
        <Text key={message} color="yellow" wrap="truncate-end">
          {message}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {keys.join(' · ')}
      </Text>
    </Box>
  );
}
