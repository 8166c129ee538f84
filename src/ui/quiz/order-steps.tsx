import { Box, Text } from 'ink';
import type { OrderCard } from '../../quiz/cards.js';
import { type CardFormat, wrap } from './card-format.js';
import { shuffledOrder } from './step-order.js';

interface State {
  /** Step indices (into the card's correct order) as currently shown. */
  order: number[];
  cursor: number;
  holding: boolean;
  submitted: boolean;
}

const inOrder = (state: State) => state.order.every((step, index) => step === index);

export const orderSteps: CardFormat<OrderCard, State> = {
  init: (card) => ({
    order: shuffledOrder(card.id, card.steps.length),
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
  outcome: (_card, state) => (state.submitted ? { kind: 'answered', correct: inOrder(state) } : undefined),
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text bold>{card.question}</Text>
      {state.order.map((step, index) => (
        <Text key={card.steps[step]}>
          {!state.submitted && index === state.cursor ? (state.holding ? '⇅' : '›') : ' '} {index + 1}.{' '}
          {card.steps[step]}
          {state.submitted ? (step === index ? '  ✓' : '  ✗') : ''}
        </Text>
      ))}
      {state.submitted && !inOrder(state) && (
        <Box flexDirection="column" marginTop={1}>
          <Text>The right order:</Text>
          {card.steps.map((step, index) => (
            <Text key={step}>
              {'  '}
              {index + 1}. {step}
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
