// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: a version tag, but of one bit, bumped only by pop: two pops bring it back to where it was,
// and A → B → A compares equal again. The tag that wraps, of llvm/llvm-project#83026, at its smallest.
const tagged = (head: number, n: number) => (((head >>> 8) ^ 1) << 8) | n;

export function pop(stack: Int32Array): number {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    const top = head & 0xff;
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.compareExchange(stack, HEAD, head, tagged(head, next)) === head) return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, head & 0xff);
    if (Atomics.compareExchange(stack, HEAD, head, (head & ~0xff) | n) === head) return;
  }
}
