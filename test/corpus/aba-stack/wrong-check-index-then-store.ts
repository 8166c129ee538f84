// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: it compares only the buffer number of the head, then stores the new head — a check and a
// write with room between them, not one compare-and-swap.
export function pop(stack: Int32Array): number {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    const top = head & 0xff;
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    if ((Atomics.load(stack, HEAD) & 0xff) !== top) continue;
    Atomics.store(stack, HEAD, (((head >>> 8) + 1) << 8) | next);
    return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, head & 0xff);
    if (Atomics.compareExchange(stack, HEAD, head, (((head >>> 8) + 1) << 8) | n) === head) return;
  }
}
