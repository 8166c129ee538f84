/**
 * Reporters: what `check` and `watch` print while a session runs, chosen once per command
 * (vitest's reporters, gatsby's loggers). Each listens to the session's events and prints; none
 * changes anything.
 */
import type { SessionEvent } from '../session/events.js';
import type { SessionState } from '../session/state.js';
import { command } from './invocation.js';
import { verdictJson } from './json.js';
import { renderVerdict } from './plain.js';
import type { ProgressView } from './verdict.js';

export interface Reporter {
  /** Called after each event has changed the state. */
  on(event: SessionEvent, state: SessionState): void;
  /** The command is done: print what waited for the end. */
  end(): void;
}

export interface Output {
  /** stdout: the report itself. */
  out(text: string): void;
  /** stderr: notices about the run. */
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Where the learner stands, for the lines under a pass. */
export function progressOf(state: SessionState): ProgressView {
  const current = state.exercises.find((e) => e.id === state.current && e.status !== 'done');
  return {
    done: state.done,
    total: state.exercises.length,
    next: current ? { id: current.id, title: current.title } : null,
  };
}

/** `watch --json`: one verdict per line with the time it arrived; nothing else on stdout. */
export function jsonLinesReporter(output: Output = processOutput): Reporter {
  return {
    on(event, state) {
      if (event.type === 'graded') {
        output.out(`${JSON.stringify({ ...verdictJson(event.verdict), at: event.at.toISOString() })}\n`);
      } else {
        noticeOf(event, state, output);
      }
    },
    end() {},
  };
}

/** `check --json`: one object, or an array of them with `all`, printed at the end. */
export function jsonReporter(options: { all: boolean }, output: Output = processOutput): Reporter {
  const verdicts: ReturnType<typeof verdictJson>[] = [];
  return {
    on(event) {
      if (event.type === 'graded') verdicts.push(verdictJson(event.verdict));
    },
    end() {
      const json = options.all ? verdicts : verdicts[0];
      if (json !== undefined) output.out(`${JSON.stringify(json, null, 2)}\n`);
    },
  };
}

/** Plain text: each verdict as the tutor lays it out; with `announce`, a line when grading starts. */
export function plainReporter(
  options: { color: boolean; width: number; announce?: boolean },
  output: Output = processOutput,
): Reporter {
  let passed = 0;
  let failed = 0;
  return {
    on(event, state) {
      if (event.type === 'grading' && options.announce) output.out(`checking ${event.id}…\n`);
      else if (event.type === 'graded') {
        if (event.verdict.passed) passed++;
        else failed++;
        const progress = event.verdict.passed && !event.replay ? progressOf(state) : undefined;
        const lines = renderVerdict(event.verdict, { width: options.width, color: options.color, progress });
        output.out(`${lines.join('\n')}\n${options.announce ? '\n' : ''}`);
      } else noticeOf(event, state, output);
    },
    end() {
      if (passed + failed > 1) output.out(`\n${passed} passed, ${failed} failed\n`);
    },
  };
}

/** What a reporter says on stderr about the watching itself. */
function noticeOf(event: SessionEvent, state: SessionState, output: Output): void {
  const id = state.open?.id;
  if (event.type === 'watch-failed') {
    // Nothing here reads keys: without file events, the learner checks by hand.
    output.err(
      `racelings: file changes are not reported here; run '${command(`check ${id ?? 'ID'}`)}' after each save\n`,
    );
  } else if (event.type === 'file-gone' && state.open?.missing) {
    output.err(`racelings: ${state.open.missing}\n`);
  } else if (event.type === 'watching') {
    output.err('racelings: watching the exercises again\n');
  }
}
