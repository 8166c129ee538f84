import { Box, Text } from 'ink';
import type { Verdict } from '../grader/verdict.js';
import { Timeline, timelineHeight } from './Timeline.js';
import { wrapWords } from './wrap.js';

export interface VerdictViewProps {
  verdict: Verdict | null;
  /** A grading is under way: the last verdict stays, dimmed, so the frame keeps its height. */
  checking: boolean;
  /** Grading itself could not run (the progress file could not be written, say). */
  error: string | null;
  width: number;
}

const MAX_DIAGNOSTICS = 5;
const MAX_OUTPUT = 5;

function bodyLines(verdict: Verdict, width: number) {
  // A failed invariant ends the timeline; the reason then only needs to say where it broke.
  const where =
    verdict.invariant && verdict.reason.endsWith(verdict.invariant)
      ? verdict.reason.slice(0, -verdict.invariant.length).replace(/[:\s]+$/, '')
      : verdict.reason;
  const reason = wrapWords(where, width - 2);
  const diagnostics = verdict.passed ? [] : verdict.diagnostics.slice(0, MAX_DIAGNOSTICS);
  const output = verdict.passed ? [] : verdict.output.slice(0, MAX_OUTPUT);
  // A pass usually says what was explored in its reason already.
  const explored = verdict.reason.includes(verdict.explored) ? null : `explored: ${verdict.explored}`;
  return { reason, diagnostics, output, explored };
}

/** Rows the view takes, so that the screen can give the rest to the statement. */
export function verdictHeight({ verdict, error, width }: VerdictViewProps): number {
  if (!verdict) return 1 + (error ? 1 : 0);
  const body = bodyLines(verdict, width);
  const timeline = verdict.passed ? 0 : timelineHeight(verdict, width);
  const output = body.output.length > 0 ? body.output.length + 1 : 0;
  return (
    1 +
    body.reason.length +
    body.diagnostics.length +
    timeline +
    output +
    (body.explored ? 1 : 0) +
    (error ? 1 : 0)
  );
}

function Status({ verdict, checking }: Pick<VerdictViewProps, 'verdict' | 'checking'>) {
  if (checking) return <Text color="cyan">⟳ checking…</Text>;
  if (!verdict) return <Text dimColor>not checked yet — press c</Text>;
  const ms = `${Math.round(verdict.durationMs)} ms`;
  if (verdict.setupProblem !== null) {
    return (
      <Text color="yellow" bold>
        ! not graded: this machine cannot run the check
      </Text>
    );
  }
  return verdict.passed ? (
    <Text>
      <Text color="green" bold>
        ✓ passed
      </Text>
      <Text dimColor> · {ms}</Text>
    </Text>
  ) : (
    <Text>
      <Text color="red" bold>
        ✗ failed
      </Text>
      <Text dimColor> · {ms}</Text>
    </Text>
  );
}

/** The latest verdict: passed with what was explored, or failed with the interleaving that broke the code. */
export function VerdictView(props: VerdictViewProps) {
  const { verdict, checking, error, width } = props;
  const body = verdict ? bodyLines(verdict, width) : null;
  return (
    <Box flexDirection="column">
      <Status verdict={verdict} checking={checking} />
      {verdict && body && (
        <Box flexDirection="column">
          {body.reason.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional
            <Text key={`r${i}`} dimColor={checking}>
              {`  ${line}`}
            </Text>
          ))}
          {body.diagnostics.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics are positional
            <Text key={`d${i}`} color="yellow" wrap="truncate-end" dimColor={checking}>
              {`  ${line}`}
            </Text>
          ))}
          {!verdict.passed && <Timeline verdict={verdict} width={width} />}
          {body.output.length > 0 && <Text dimColor>console output in this schedule:</Text>}
          {body.output.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: output lines are positional
            <Text key={`o${i}`} wrap="truncate-end" dimColor>
              {`  ${line}`}
            </Text>
          ))}
          {body.explored && (
            <Text dimColor wrap="truncate-end">
              {body.explored}
            </Text>
          )}
        </Box>
      )}
      {error && <Text color="red">{`could not grade: ${error}`}</Text>}
    </Box>
  );
}
