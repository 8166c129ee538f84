import { Box, Text } from 'ink';
import type { SingleCard } from '../../quiz/cards.js';
import { type CardFormat, digitIndex, wrap } from './card-format.js';

interface State {
  cursor: number;
  chosen?: number;
}

export const singleChoice: CardFormat<SingleCard, State> = {
  init: () => ({ cursor: 0 }),
  key(card, state, input, key) {
    const count = card.choices.length;
    const digit = digitIndex(input, count);
    if (digit !== undefined) return { ...state, chosen: digit };
    if (key.upArrow) return { ...state, cursor: wrap(state.cursor, -1, count) };
    if (key.downArrow) return { ...state, cursor: wrap(state.cursor, 1, count) };
    if (key.return) return { ...state, chosen: state.cursor };
    return state;
  },
  outcome: (card, state) =>
    state.chosen === undefined ? undefined : { kind: 'answered', correct: state.chosen === card.answer },
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text bold>{card.question}</Text>
      {card.choices.map((choice, index) => (
        <Text key={choice}>
          {state.chosen === undefined && index === state.cursor ? '›' : ' '} {index + 1}. {choice}
          {state.chosen === undefined ? '' : mark(index, state.chosen, card.answer)}
        </Text>
      ))}
      {state.chosen === undefined && <Text dimColor>1–{card.choices.length} or ↑/↓ + Enter to answer</Text>}
    </Box>
  ),
};

function mark(index: number, chosen: number, answer: number): string {
  if (index === answer) return index === chosen ? '  ✓ your answer' : '  ✓ right answer';
  return index === chosen ? '  ✗ your answer' : '';
}
