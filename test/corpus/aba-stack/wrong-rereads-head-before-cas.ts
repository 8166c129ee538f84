// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: pop checks that the head is still the same before swapping — but A → B → A reads the same
// too. The "naive lock-free stack" of pmodels/argobots#178, with a check that cannot see the change.
export function pop(stack: Int32Array): number {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.load(stack, HEAD) !== top) continue;
    if (Atomics.compareExchange(stack, HEAD, top, next) === top) return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, top);
    if (Atomics.compareExchange(stack, HEAD, top, n) === top) return;
  }
}
