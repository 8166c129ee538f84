/**
 * The grader process's side of compiling ahead (grader/compiling.ts): for a grade request with
 * `ahead`, its parent compiles the file and tells this process what it gets (`compiled` messages).
 * Kept apart from the compiling code, which this process then need not load: loading it took CPU
 * from a cold check's exploring. That code loads only when the parent could not compile.
 */
import type { Compiled } from '../sandbox/compile.js';
import type { Compilation } from './compiling.js';
import type { CompiledMessage, GradeRequest } from './protocol.js';

/**
 * What the grader's parent compiled for grade requests (see Grader.grade), by request id: made
 * when the request or the first news of it arrives, whichever comes first, and forgotten when the
 * request is answered.
 */
const offered = new Map<number, { compilation: Compilation; hear: (message: CompiledMessage) => void }>();
/** The last request answered: news of it, or of an earlier one, came too late to be used. */
let lastAnswered = 0;

function offer(requestId: number) {
  let entry = offered.get(requestId);
  if (entry) return entry;
  const first = deferred<{ code: string | null; checked: boolean }>();
  const done = deferred<Compiled>();
  entry = {
    compilation: { first: first.promise, done: done.promise },
    hear: (message) => {
      if (message.error !== undefined) {
        const error = new Error(message.error);
        first.reject(error);
        done.reject(error);
      }
      if (message.first) first.resolve(message.first);
      if (message.done) done.resolve(message.done);
    },
  };
  offered.set(requestId, entry);
  return entry;
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** News of the parent's compilation of a grade request's file. */
export function receiveCompiled(message: CompiledMessage): void {
  if (message.requestId <= lastAnswered) return;
  offer(message.requestId).hear(message);
}

/** Request `requestId` is answered: what the parent compiled for it is not needed any more. */
export function answered(requestId: number): void {
  offered.delete(requestId);
  lastAnswered = Math.max(lastAnswered, requestId);
}

/**
 * The compilation of a grade request's file (`source`): the parent's, when it compiles it
 * (`ahead`; `answered` forgets it once the request is answered), unless it could not; else this
 * process's own (grader/compiling.ts, loaded then). A second ask for the same request joins the first.
 */
export function compileRequest(request: GradeRequest, source: string): Compilation {
  const own = () =>
    import('./compiling.js').then((m) => m.compileOnThread(request.file, source, request.shownAs));
  if (!request.ahead) return settledApart(own());
  const { first, done } = offer(request.requestId).compilation;
  let fallback: Promise<Compilation> | null = null;
  const instead = () => {
    fallback ??= own();
    return fallback;
  };
  return settledApart({
    first: first.catch(() => instead().then((c) => c.first)),
    done: done.catch(() => instead().then((c) => c.done)),
  });
}

/** A compilation whose parts are awaited apart: neither's rejection is unhandled for lack of the other's awaiting. */
function settledApart(compilation: Compilation | Promise<Compilation>): Compilation {
  const whole = Promise.resolve(compilation);
  const parts = { first: whole.then((c) => c.first), done: whole.then((c) => c.done) };
  parts.first.catch(() => {});
  parts.done.catch(() => {});
  return parts;
}
