import { useSyncExternalStore } from 'react';
import { UserError } from '../../errors.js';
import type { Card } from '../../quiz/cards.js';
import type { Grade } from '../../quiz/scheduler.js';
import { quizStatePath } from '../../quiz/state.js';
import type { QuizRun, QuizSummary } from '../../session/quiz.js';
import { mountUntil } from '../lifecycle.js';
import { QuizSession } from './QuizSession.js';

/** The review screen over a QuizRun: each grade is saved (by the run) before the next card shows. */
export function QuizApp({ run, onFailure }: { run: QuizRun; onFailure: (error: unknown) => void }) {
  const turn = useSyncExternalStore(run.subscribe, () => run.turn);
  const onGrade = (card: Card, grade: Grade) => {
    run.grade(card, grade).catch((error: unknown) => {
      onFailure(error);
      run.quit();
    });
  };
  return (
    <QuizSession
      card={run.card()}
      turn={turn}
      counts={run.counts()}
      topic={run.topic}
      now={new Date()}
      nextDue={run.nextDue()}
      notice={run.notice}
      onGrade={onGrade}
      onExit={() => run.quit()}
    />
  );
}

/** Run a review on the terminal until the learner leaves; resolves with what was done. */
export async function mountQuiz(run: QuizRun): Promise<QuizSummary> {
  let failure: unknown = null;
  await mountUntil(<QuizApp run={run} onFailure={(error) => (failure = error)} />, run.finished);
  if (failure !== null) {
    throw new UserError(
      `could not save quiz progress to ${quizStatePath(run.workspaceDir)}: ${(failure as Error).message}`,
      'check that the workspace is writable and has free space',
    );
  }
  return run.summary();
}
