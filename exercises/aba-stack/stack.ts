// A lock-free stack of free buffers, shared by several worker threads.
//
// There are 8 buffers, numbered 1 to 8. `stack` is an Int32Array over a SharedArrayBuffer that
// every thread sees:
//   stack[HEAD]      the number of the buffer on top of the stack (0 when the stack is empty)
//   stack[NEXT + n]  the number of the buffer below buffer n (0 for the bottom one)
// A thread takes a free buffer with `pop`, uses it, and gives it back with `push`. No lock: each
// operation reads the top and swings the head with one compare-and-swap, retrying if another
// thread got there first (the Treiber stack).
export const HEAD = 0;
export const NEXT = 0;
const EMPTY = 0;

/** Take the buffer on top: its number, or 0 when the stack is empty. */
export function pop(stack: Int32Array): number {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    if (top === EMPTY) return EMPTY;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.compareExchange(stack, HEAD, top, next) === top) return top;
  }
}

/** Give buffer `n` back: it goes on top. Only the thread that popped `n` pushes it. */
export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, top);
    if (Atomics.compareExchange(stack, HEAD, top, n) === top) return;
  }
}
