import { Box, Text } from 'ink';
import type { OrderCard } from '../../quiz/cards.js';
import { isAcceptedOrder, puzzleOrder, stepInPlace } from '../../quiz/order.js';
import { type CardFormat, wrap } from './card-format.js';

interface State {
  /** Step indices (into the card's correct order) as currently shown. */
  order: number[];
  cursor: number;
  holding: boolean;
  submitted: boolean;
}

export const orderSteps: CardFormat<OrderCard, State> = {
  init: (card) => ({
    order: puzzleOrder(card),
    cursor: 0,
    holding: false,
    submitted: false,
  }),
  key(card, state, input, key) {
    const count = card.steps.length;
    const delta = key.upArrow ? -1 : key.downArrow ? 1 : 0;
    if (delta !== 0 && !state.holding) return { ...state, cursor: wrap(state.cursor, delta, count) };
    if (delta !== 0) {
      const target = state.cursor + delta;
      if (target < 0 || target >= count) return state;
      const order = [...state.order];
      [order[state.cursor], order[target]] = [order[target]!, order[state.cursor]!];
      return { ...state, order, cursor: target };
    }
    if (input === ' ') return { ...state, holding: !state.holding };
    if (key.return) return { ...state, holding: false, submitted: true };
    return state;
  },
  outcome: (card, state) =>
    state.submitted ? { kind: 'answered', correct: isAcceptedOrder(card, state.order) } : undefined,
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text bold>{card.question}</Text>
      {state.order.map((step, index) => (
        <Text key={card.steps[step]}>
          {!state.submitted && index === state.cursor ? (state.holding ? '⇅' : '›') : ' '} {index + 1}.{' '}
          {card.steps[step]}
          {state.submitted ? (stepInPlace(card, state.order, index) ? '  ✓' : '  ✗') : ''}
        </Text>
      ))}
      {state.submitted && !isAcceptedOrder(card, state.order) && (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            The right order
            {card.ranks.some((rank, i) => rank !== i) ? ' (a shared number: either way round)' : ''}:
          </Text>
          {card.steps.map((step, index) => (
            <Text key={step}>
              {'  '}
              {card.ranks[index]! + 1}. {step}
            </Text>
          ))}
        </Box>
      )}
      {!state.submitted && (
        <Text dimColor>
          ↑/↓ move the cursor · Space picks up / puts down a step
          {state.holding ? ' (holding: ↑/↓ carry it)' : ''} · Enter submits
        </Text>
      )}
    </Box>
  ),
};
