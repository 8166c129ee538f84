// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: push makes n the head first and links it after, so a pop in between follows a stale link
// of n — to a buffer another thread holds. (A node must be complete before the CAS publishes it.)
export function pop(stack: Int32Array): number {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.compareExchange(stack, HEAD, top, next) === top) return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    if (Atomics.compareExchange(stack, HEAD, top, n) === top) {
      Atomics.store(stack, NEXT + n, top);
      return;
    }
  }
}
