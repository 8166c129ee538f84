import { formatValue } from '../explorer/format.js';
import { WorldHooks } from '../explorer/run.js';
import { ProcessExit } from './learner-module.js';

/**
 * Process-wide hooks for a process that runs learner code: an unhandled rejection, an exception
 * thrown from a callback, or process.exit during a run become a failure of that run.
 */
export function containStrays(): void {
  process.on('unhandledRejection', (reason) => {
    WorldHooks.current?.stray(
      `a promise rejected and nothing handled it (${formatValue(reason)}): Node would crash the whole process.`,
    );
  });
  process.on('uncaughtException', (error) => {
    WorldHooks.current?.stray(`an exception escaped from a callback: ${formatValue(error)}.`);
  });
  process.exit = ((code?: number) => {
    const exit = new ProcessExit(code);
    WorldHooks.current?.stray(`${exit.message}: learner code must not end the process.`);
    throw exit;
  }) as typeof process.exit;
}
