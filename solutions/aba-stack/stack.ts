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

// The head word packs a version tag beside the buffer number: the number in the low 8 bits, the
// tag above. Every change of the head makes a new tag, so a head that went A → B → A between a
// thread's read and its compare-and-swap no longer compares equal, and the stale swap fails.
const INDEX_BITS = 8;
const INDEX_MASK = (1 << INDEX_BITS) - 1;
const indexOf = (head: number) => head & INDEX_MASK;
/** The next head word: buffer `n`, one version after `head` (the tag wraps after 2^24 changes). */
const nextHead = (head: number, n: number) => (((head >>> INDEX_BITS) + 1) << INDEX_BITS) | n;

/** Take the buffer on top: its number, or 0 when the stack is empty. */
export function pop(stack: Int32Array): number {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    const top = indexOf(head);
    if (top === EMPTY) return EMPTY;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.compareExchange(stack, HEAD, head, nextHead(head, next)) === head) return top;
  }
}

/** Give buffer `n` back: it goes on top. Only the thread that popped `n` pushes it. */
export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, indexOf(head));
    if (Atomics.compareExchange(stack, HEAD, head, nextHead(head, n)) === head) return;
  }
}
