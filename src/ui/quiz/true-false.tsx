import { Box, Text } from 'ink';
import type { TrueFalseCard } from '../../quiz/cards.js';
import type { CardFormat } from './card-format.js';

interface State {
  chosen?: boolean;
}

export const trueFalse: CardFormat<TrueFalseCard, State> = {
  init: () => ({}),
  key(_card, state, input) {
    const key = input.toLowerCase();
    if (key === 't' || key === 'f') return { chosen: key === 't' };
    return state;
  },
  outcome: (card, state) =>
    state.chosen === undefined ? undefined : { kind: 'answered', correct: state.chosen === card.answer },
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text dimColor>True or false?</Text>
      <Text bold>{card.statement}</Text>
      {state.chosen === undefined ? (
        <Text dimColor>t = true · f = false</Text>
      ) : (
        <Text>
          You said {String(state.chosen)}; it is {String(card.answer)}.
        </Text>
      )}
    </Box>
  ),
};
