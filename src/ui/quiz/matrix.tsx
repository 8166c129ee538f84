import { Box, Text } from 'ink';
import type { MatrixCard } from '../../quiz/cards.js';
import { type CardFormat, digitIndex, wrap } from './card-format.js';

interface State {
  row: number;
  /** The chosen column per row; null until chosen. */
  choices: (number | null)[];
  submitted: boolean;
  warning: boolean;
}

/** Cells between the row label and the first column, and between columns. */
const GAP = 2;
/** "( )" and a verdict after the last column ("  ✗ prevented" is added on its own line when narrow). */
const CELL = 3;

/**
 * How the grid fits `width`: with the columns' names as headers when they fit side by side, else
 * with numbered columns whose names are listed above the grid. Row labels wrap in their own column.
 */
export function matrixLayout(card: MatrixCard, width: number) {
  const longestLabel = Math.max(...card.rows.map((label) => label.length));
  const named = card.columns.map((column) => Math.max(column.length, CELL));
  const namedWidth = named.reduce((sum, w) => sum + w + GAP, 0);
  const fitsNamed = longestLabel + 2 + namedWidth <= width;
  const widths = fitsNamed ? named : card.columns.map((_, i) => Math.max(String(i + 1).length, CELL));
  const gridWidth = widths.reduce((sum, w) => sum + w + GAP, 0);
  const labelWidth = Math.max(8, Math.min(longestLabel, width - 2 - gridWidth));
  return { numbered: !fitsNamed, widths, labelWidth };
}

export const matrix: CardFormat<MatrixCard, State> = {
  init: (card) => ({ row: 0, choices: card.rows.map(() => null), submitted: false, warning: false }),
  key(card, state, input, key) {
    const rows = card.rows.length;
    const columns = card.columns.length;
    const current = state.choices[state.row] ?? null;
    const choose = (column: number, advance: boolean): State => ({
      ...state,
      choices: state.choices.map((value, index) => (index === state.row ? column : value)),
      row: advance ? Math.min(state.row + 1, rows - 1) : state.row,
      warning: false,
    });
    const digit = digitIndex(input, columns);
    if (digit !== undefined) return choose(digit, true);
    if (key.leftArrow) return choose(current === null ? 0 : wrap(current, -1, columns), false);
    if (key.rightArrow || input === ' ')
      return choose(current === null ? 0 : wrap(current, 1, columns), false);
    if (key.upArrow) return { ...state, row: wrap(state.row, -1, rows) };
    if (key.downArrow) return { ...state, row: wrap(state.row, 1, rows) };
    if (key.return) {
      return state.choices.includes(null) ? { ...state, warning: true } : { ...state, submitted: true };
    }
    return state;
  },
  outcome: (card, state) =>
    state.submitted
      ? { kind: 'answered', correct: state.choices.every((value, index) => value === card.answer[index]) }
      : undefined,
  View: ({ card, state, width }) => {
    const { numbered, widths, labelWidth } = matrixLayout(card, width);
    const heads = card.columns.map((column, i) => (numbered ? String(i + 1) : column).padEnd(widths[i]!));
    return (
      <Box flexDirection="column">
        <Text bold>{card.question}</Text>
        {numbered &&
          card.columns.map((column, i) => (
            <Text key={column}>
              {'  '}
              <Text bold>{i + 1}</Text> {column}
            </Text>
          ))}
        <Box>
          <Box width={labelWidth + 2 + GAP} flexShrink={0} />
          <Text bold>{heads.join(' '.repeat(GAP))}</Text>
        </Box>
        {card.rows.map((label, index) => {
          const chosen = state.choices[index] ?? null;
          const cells = card.columns
            .map((_, column) => (chosen === column ? '(•)' : '( )').padEnd(widths[column]!))
            .join(' '.repeat(GAP));
          return (
            <Box key={label}>
              <Box width={2} flexShrink={0}>
                <Text>{!state.submitted && index === state.row ? '›' : ' '}</Text>
              </Box>
              <Box width={labelWidth} flexShrink={0} marginRight={GAP}>
                <Text>{label}</Text>
              </Box>
              <Text>
                {cells}
                {state.submitted ? verdict(chosen, card.answer[index]!, card.columns, numbered) : ''}
              </Text>
            </Box>
          );
        })}
        {state.warning && <Text color="yellow">Choose a column for every row first.</Text>}
        {!state.submitted && (
          <Text dimColor>
            1–{card.columns.length} choose a column (then the next row) · ←/→ change · ↑/↓ row · Enter submits
          </Text>
        )}
      </Box>
    );
  },
};

function verdict(
  chosen: number | null,
  answer: number,
  columns: readonly string[],
  numbered: boolean,
): string {
  if (chosen === answer) return ' ✓';
  return ` ✗ ${numbered ? answer + 1 : columns[answer]}`;
}
