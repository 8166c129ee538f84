import { Box, type Key, Text, useStdin } from 'ink';
import { useReducer, useRef } from 'react';
import type { Card } from '../../quiz/cards.js';
import { type Grade, gradeForAnswer } from '../../quiz/scheduler.js';
import { command } from '../../report/invocation.js';
import { countsText } from '../../session/quiz.js';
import type { QuizCounts } from '../../session/state.js';
import { KeyLine } from '../KeyLine.js';
import { useKeys } from '../keys.js';
import { useTerminalSize } from '../terminal-size.js';
import type { CardFormat, Outcome } from './card-format.js';
import { drill } from './drill.js';
import { matrix } from './matrix.js';
import { multipleChoice } from './multiple-choice.js';
import { orderSteps } from './order-steps.js';
import { recall } from './recall.js';
import { singleChoice } from './single-choice.js';
import { spotTheBug } from './spot-the-bug.js';
import { trueFalse } from './true-false.js';

const GRADE_NAMES: Record<Grade, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

export interface QuizSessionProps {
  /** The card to show, or undefined when nothing is due. */
  card: Card | undefined;
  /** Changes with every card shown (the same card can come back), so its screen starts afresh. */
  turn: number;
  counts: QuizCounts;
  /** The lesson id (or `drills`) the session is limited to. */
  topic?: string;
  now: Date;
  /** When the next seen card falls due, shown when nothing is due now. */
  nextDue?: Date;
  /** A message for the learner, e.g. that a corrupt progress file was set aside. */
  notice?: string;
  onGrade: (card: Card, grade: Grade) => void;
  onExit: () => void;
  /** Overrides whether keys are read; by default, only when stdin supports raw mode. */
  isActive?: boolean;
}

/** The review screen: the header's counts, then the card of this turn, or when the next one is due. */
export function QuizSession(props: QuizSessionProps) {
  const { isRawModeSupported } = useStdin();
  const isActive = props.isActive ?? isRawModeSupported === true;

  useKeys(
    (input) => {
      if (input === 'q') props.onExit();
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      <Header counts={props.counts} topic={props.topic} />
      {props.notice && <Text color="yellow">{props.notice}</Text>}
      {props.card ? (
        <CardTurn key={props.turn} card={props.card} isActive={isActive} onGrade={props.onGrade} />
      ) : (
        <NothingDue now={props.now} nextDue={props.nextDue} />
      )}
    </Box>
  );
}

/** One Text, so a narrow terminal wraps it between words instead of squeezing each part. */
function Header({ counts, topic }: { counts: QuizCounts; topic: string | undefined }) {
  const text = countsText(counts);
  return (
    <Box marginBottom={1}>
      <Text>
        <Text bold>racelings quiz</Text>
        <Text dimColor> · {topic ?? 'all topics'} · </Text>
        <Text color="blue">{text.new}</Text> · <Text color="red">{text.learning}</Text> ·{' '}
        <Text color="green">{text.review}</Text>
      </Text>
    </Box>
  );
}

/** Every format, by name; one cast here lets a turn drive any card through the same reducer. */
const FORMATS = {
  single: singleChoice,
  multiple: multipleChoice,
  truefalse: trueFalse,
  matrix,
  order: orderSteps,
  'spot-the-bug': spotTheBug,
  recall,
  drill,
};

function formatOf(card: Card): CardFormat<Card, unknown> {
  return FORMATS[card.format] as unknown as CardFormat<Card, unknown>;
}

interface TurnState {
  body: unknown;
  outcome?: Outcome;
  grade?: Grade;
}

/** One key press on one card: the format's own keys until it is answered, then the grade keys. */
function turnStep(card: Card, state: TurnState, { input, key }: { input: string; key: Key }): TurnState {
  if (state.grade !== undefined) return state;
  if (state.outcome === undefined) {
    const format = formatOf(card);
    const body = format.key(card, state.body, input, key);
    return { body, outcome: format.outcome(card, body) };
  }
  if (/^[1-4]$/.test(input)) return { ...state, grade: Number(input) as Grade };
  const suggested = suggestion(state.outcome);
  if ((input === ' ' || key.return) && suggested !== undefined) return { ...state, grade: suggested };
  return state;
}

interface CardTurnProps {
  card: Card;
  isActive: boolean;
  onGrade: (card: Card, grade: Grade) => void;
}

function CardTurn({ card, isActive, onGrade }: CardTurnProps) {
  const { columns } = useTerminalSize();
  // The latest state lives in a ref so each key acts on the one before it, even before a re-render.
  const stateRef = useRef<TurnState | undefined>(undefined);
  stateRef.current ??= { body: formatOf(card).init(card) };
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useKeys(
    (input, key) => {
      const before = stateRef.current!;
      const after = turnStep(card, before, { input, key });
      if (after === before) return;
      stateRef.current = after;
      rerender();
      if (before.grade === undefined && after.grade !== undefined) onGrade(card, after.grade);
    },
    { isActive },
  );

  const state = stateRef.current;
  const { View } = formatOf(card);
  const outcome = state.outcome;
  return (
    <Box flexDirection="column">
      <View card={card} state={state.body} width={columns - 1} />
      {outcome && (
        <Box flexDirection="column" marginTop={1}>
          <Verdict outcome={outcome} />
          <Text>{card.explanation}</Text>
          <Text dimColor>Read more: {command(`learn ${card.lesson}`)}</Text>
          <GradePrompt suggested={suggestion(outcome)} />
        </Box>
      )}
    </Box>
  );
}

function suggestion(outcome: Outcome | undefined): Grade | undefined {
  if (outcome === undefined) return undefined;
  if (outcome.kind === 'answered') return gradeForAnswer(outcome.correct);
  return outcome.suggested;
}

function Verdict({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'answered') {
    return outcome.correct ? (
      <Text color="green" bold>
        ✓ Right
      </Text>
    ) : (
      <Text color="red" bold>
        ✗ Wrong
      </Text>
    );
  }
  if (outcome.ticked !== undefined)
    return <Text bold>Your answer named {outcome.ticked} of the rubric items.</Text>;
  return null;
}

function GradePrompt({ suggested }: { suggested: Grade | undefined }) {
  const grades = ([1, 2, 3, 4] as const).map((grade) => [String(grade), GRADE_NAMES[grade]] as const);
  return (
    <Box flexDirection="column">
      <Text bold>
        {suggested === undefined ? 'How well did you recall it?' : `Suggested: ${GRADE_NAMES[suggested]}`}
      </Text>
      <KeyLine
        keys={[
          suggested !== undefined && ['Space/Enter', 'accept'],
          ...grades,
          ['q', 'stop (progress kept)'],
        ]}
      />
    </Box>
  );
}

function NothingDue({ now, nextDue }: { now: Date; nextDue: Date | undefined }) {
  return (
    <Box flexDirection="column">
      <Text color="green">Nothing is due right now.</Text>
      {nextDue && <Text>The next card is due {relative(nextDue.getTime() - now.getTime())}.</Text>}
      <Text dimColor>q leaves</Text>
    </Box>
  );
}

function relative(ms: number): string {
  if (ms <= 60_000) return 'in under a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}
