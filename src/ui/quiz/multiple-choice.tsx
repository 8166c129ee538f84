import { Box, Text } from 'ink';
import type { MultipleCard } from '../../quiz/cards.js';
import { type CardFormat, digitIndex, sameSet, toggled, wrap } from './card-format.js';

interface State {
  cursor: number;
  picked: number[];
  submitted: boolean;
}

export const multipleChoice: CardFormat<MultipleCard, State> = {
  init: () => ({ cursor: 0, picked: [], submitted: false }),
  key(card, state, input, key) {
    const count = card.choices.length;
    const digit = digitIndex(input, count);
    if (digit !== undefined) return { ...state, picked: toggled(state.picked, digit) };
    if (input === ' ') return { ...state, picked: toggled(state.picked, state.cursor) };
    if (key.upArrow) return { ...state, cursor: wrap(state.cursor, -1, count) };
    if (key.downArrow) return { ...state, cursor: wrap(state.cursor, 1, count) };
    if (key.return) return { ...state, submitted: true };
    return state;
  },
  outcome: (card, state) =>
    state.submitted ? { kind: 'answered', correct: sameSet(state.picked, card.answers) } : undefined,
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text bold>{card.question}</Text>
      <Text dimColor>Choose all that apply.</Text>
      {card.choices.map((choice, index) => {
        const picked = state.picked.includes(index);
        return (
          <Text key={choice}>
            {!state.submitted && index === state.cursor ? '›' : ' '} [{picked ? 'x' : ' '}] {index + 1}.{' '}
            {choice}
            {state.submitted ? mark(picked, card.answers.includes(index)) : ''}
          </Text>
        );
      })}
      {!state.submitted && (
        <Text dimColor>1–{card.choices.length} or Space toggles · ↑/↓ move · Enter submits</Text>
      )}
    </Box>
  ),
};

function mark(picked: boolean, right: boolean): string {
  if (right) return picked ? '  ✓' : '  ✓ missed';
  return picked ? '  ✗ wrong pick' : '';
}
