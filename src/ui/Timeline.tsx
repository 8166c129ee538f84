import { Box, Text } from 'ink';
import type { Verdict } from '../grader/verdict.js';
import { timelineRows } from './timeline-text.js';
import { wrapWords } from './wrap.js';

export type TimelineVerdict = Pick<Verdict, 'schedule' | 'tasks' | 'invariant'>;

/**
 * The step to point at: one that failed or threw, else the last effect before the invariant broke
 * (for a lost update, the write that overwrote the other task's).
 */
export function failingStep(verdict: Pick<Verdict, 'schedule'>): number {
  const { schedule } = verdict;
  const failed = schedule.findIndex((step) => step.result === 'fails' || step.op === 'throw');
  if (failed >= 0) return failed;
  for (let i = schedule.length - 1; i >= 0; i--) {
    const op = schedule[i]!.op;
    if (op !== 'call' && op !== 'return') return i;
  }
  return schedule.length - 1;
}

/** Rows the timeline takes at this width: header, one per step, the invariant. */
export function timelineHeight(verdict: TimelineVerdict, width: number): number {
  if (verdict.schedule.length === 0) return 0;
  const invariant = verdict.invariant ? wrapWords(`✗ ${verdict.invariant}`, width - 2).length : 0;
  const { steps } = timelineRows(verdict, width);
  return 1 + steps.reduce((sum, entry) => sum + entry.length, 0) + invariant;
}

/** The failing interleaving: one column per task, rows in global order, the invariant in words last. */
export function Timeline({ verdict, width }: { verdict: TimelineVerdict; width: number }) {
  if (verdict.schedule.length === 0) return null;
  const { header, steps } = timelineRows(verdict, width);
  const failing = failingStep(verdict);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {header}
      </Text>
      {steps.flatMap((entry, i) =>
        entry.map((line, part) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: a step's place in the schedule is its identity
            key={`${i}.${part}`}
            wrap="truncate-end"
            color={i === failing ? 'yellow' : undefined}
            bold={i === failing}
          >
            {i === failing && part === 0 ? line.replace(/^ {2}/, '▶ ') : line}
          </Text>
        )),
      )}
      {verdict.invariant &&
        wrapWords(`✗ ${verdict.invariant}`, width - 2).map((line) => (
          <Text key={line} color="red">
            {`  ${line}`}
          </Text>
        ))}
    </Box>
  );
}
