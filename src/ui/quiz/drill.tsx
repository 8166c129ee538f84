import { Box, Text } from 'ink';
import type { DrillCard } from '../../quiz/cards.js';
import { gradeForRubric } from '../../quiz/scheduler.js';
import { type CardFormat, digitIndex, toggled, wrap } from './card-format.js';

interface State {
  phase: 'prompt' | 'rubric' | 'model';
  cursor: number;
  ticked: number[];
}

export const drill: CardFormat<DrillCard, State> = {
  init: () => ({ phase: 'prompt', cursor: 0, ticked: [] }),
  key(card, state, input, key) {
    if (state.phase === 'prompt') return input === ' ' || key.return ? { ...state, phase: 'rubric' } : state;
    const count = card.rubric.length;
    const digit = digitIndex(input, count);
    if (digit !== undefined) return { ...state, ticked: toggled(state.ticked, digit) };
    if (input === ' ') return { ...state, ticked: toggled(state.ticked, state.cursor) };
    if (key.upArrow) return { ...state, cursor: wrap(state.cursor, -1, count) };
    if (key.downArrow) return { ...state, cursor: wrap(state.cursor, 1, count) };
    if (key.return) return { ...state, phase: 'model' };
    return state;
  },
  outcome: (card, state) =>
    state.phase === 'model'
      ? {
          kind: 'self',
          suggested: gradeForRubric(state.ticked.length, card.rubric.length),
          ticked: state.ticked.length,
        }
      : undefined,
  View: ({ card, state }) => (
    <Box flexDirection="column">
      <Text dimColor>Interview drill — answer out loud, as you would to the interviewer.</Text>
      <Text bold>{card.prompt}</Text>
      {state.phase === 'prompt' && (
        <Text dimColor>Space/Enter when you have answered: shows the rubric.</Text>
      )}
      {state.phase !== 'prompt' && (
        <Box flexDirection="column" marginTop={1}>
          <Text underline>Did your answer name…</Text>
          {card.rubric.map((item, index) => (
            <Text key={item}>
              {state.phase === 'rubric' && index === state.cursor ? '›' : ' '} [
              {state.ticked.includes(index) ? 'x' : ' '}] {index + 1}. {item}
            </Text>
          ))}
        </Box>
      )}
      {state.phase === 'rubric' && (
        <Text dimColor>
          1–{card.rubric.length} or Space tick what you said · Enter shows the model answer
        </Text>
      )}
      {state.phase === 'model' && (
        <Box flexDirection="column" marginTop={1}>
          <Text underline>Model answer</Text>
          <Text>{card.model}</Text>
        </Box>
      )}
    </Box>
  ),
};
