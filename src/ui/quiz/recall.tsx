import { Box, Text } from 'ink';
import type { RecallCard } from '../../quiz/cards.js';
import type { CardFormat } from './card-format.js';

interface State {
  revealed: boolean;
}

export const recall: CardFormat<RecallCard, State> = {
  init: () => ({ revealed: false }),
  key: (_card, state, input, key) => (input === ' ' || key.return ? { revealed: true } : state),
  outcome: (_card, state) => (state.revealed ? { kind: 'self' } : undefined),
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text bold>{card.question}</Text>
      {state.revealed ? (
        <Box flexDirection="column" marginTop={1}>
          <Text underline>Model answer</Text>
          <Text>{card.model}</Text>
        </Box>
      ) : (
        <Text dimColor>Answer in your head or out loud, then Space/Enter shows the model answer.</Text>
      )}
    </Box>
  ),
};
