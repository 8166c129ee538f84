/**
 * The one place that mounts Ink (Shopify cli-kit's habit): a tree is shown until its work is
 * finished or the learner presses Ctrl-C, then its last frame is cleared and Ink lets the terminal go.
 */
import { render } from 'ink';
import type { ReactElement } from 'react';

/**
 * Show `element` until `finished` resolves (with its value) or Ink exits on Ctrl-C (null). The
 * frame is cleared first, so whatever takes the terminal next (an editor, the quiz, the shell)
 * starts on a clean screen.
 */
export async function mountUntil<T>(element: ReactElement, finished: Promise<T>): Promise<T | null> {
  const app = render(element);
  let outcome: T | null = null;
  let done = false;
  void finished.then((value) => {
    if (done) return;
    outcome = value;
    app.clear();
    app.unmount();
  });
  await app.waitUntilExit();
  done = true;
  return outcome;
}
