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
  View: ({ card, state }) => {
    const labelWidth = Math.max(...card.rows.map((label) => label.length));
    const widths = card.columns.map((column) => Math.max(column.length, 3));
    const header = card.columns.map((column, index) => column.padEnd(widths[index]!)).join('  ');
    return (
      <Box flexDirection="column">
        <Text bold>{card.question}</Text>
        <Text>
          {'  '}
          {''.padEnd(labelWidth)}
          {'  '}
          {header}
        </Text>
        {card.rows.map((label, index) => {
          const chosen = state.choices[index] ?? null;
          const cells = card.columns
            .map((_, column) => (chosen === column ? '(•)' : '( )').padEnd(widths[column]!))
            .join('  ');
          return (
            <Text key={label}>
              {!state.submitted && index === state.row ? '›' : ' '} {label.padEnd(labelWidth)}
              {'  '}
              {cells}
              {state.submitted ? verdict(chosen, card.answer[index]!, card.columns) : ''}
            </Text>
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

function verdict(chosen: number | null, answer: number, columns: readonly string[]): string {
  return chosen === answer ? '  ✓' : `  ✗ ${columns[answer]}`;
}
