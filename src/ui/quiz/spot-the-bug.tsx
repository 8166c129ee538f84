import { Box, Text } from 'ink';
import type { SpotTheBugCard } from '../../quiz/cards.js';
import { type CardFormat, digitIndex, sameSet, toggled, wrap } from './card-format.js';

interface State {
  cursor: number;
  /** 1-based line numbers the learner marked. */
  marked: number[];
  submitted: boolean;
  warning: boolean;
}

const lineCount = (card: SpotTheBugCard) => card.code.split('\n').length;

export const spotTheBug: CardFormat<SpotTheBugCard, State> = {
  init: () => ({ cursor: 0, marked: [], submitted: false, warning: false }),
  key(card, state, input, key) {
    const count = lineCount(card);
    const digit = digitIndex(input, count);
    if (digit !== undefined) return { ...state, marked: toggled(state.marked, digit + 1), warning: false };
    if (input === ' ') return { ...state, marked: toggled(state.marked, state.cursor + 1), warning: false };
    if (key.upArrow) return { ...state, cursor: wrap(state.cursor, -1, count) };
    if (key.downArrow) return { ...state, cursor: wrap(state.cursor, 1, count) };
    if (key.return)
      return state.marked.length === 0 ? { ...state, warning: true } : { ...state, submitted: true };
    return state;
  },
  outcome: (card, state) =>
    state.submitted ? { kind: 'answered', correct: sameSet(state.marked, card.answer) } : undefined,
  View: ({ card, state }) => {
    const lines = card.code.split('\n');
    const width = String(lines.length).length;
    return (
      <Box flexDirection="column">
        <Text bold>{card.question}</Text>
        <Box flexDirection="column" marginY={1}>
          {lines.map((code, index) => {
            const line = index + 1;
            const marked = state.marked.includes(line);
            return (
              <Text
                // biome-ignore lint/suspicious/noArrayIndexKey: code lines repeat; their position is their identity
                key={index}
                inverse={!state.submitted && index === state.cursor}
                color={!state.submitted && marked ? 'yellow' : undefined}
              >
                {marked ? '●' : ' '} {String(line).padStart(width)} │ {code}
                {state.submitted ? lineVerdict(marked, card.answer.includes(line)) : ''}
              </Text>
            );
          })}
        </Box>
        {state.warning && <Text color="yellow">Mark at least one line first.</Text>}
        {state.submitted && <Text>Fix: {card.fix}</Text>}
        {!state.submitted && <Text dimColor>↑/↓ + Space or 1–9 mark the buggy lines · Enter submits</Text>}
      </Box>
    );
  },
};

function lineVerdict(marked: boolean, buggy: boolean): string {
  if (buggy) return marked ? '   ✓ bug' : '   ✗ missed bug';
  return marked ? '   ✗ not a bug' : '';
}
