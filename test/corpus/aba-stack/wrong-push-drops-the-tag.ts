// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: pop bumps the tag, but push writes the bare buffer number, resetting the tag to 0 — after
// pop, pop, push the head reads exactly as it did before. (Every write of the head must keep the
// count going: skeeto/lstack#5.)
export function pop(stack: Int32Array): number {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    const top = head & 0xff;
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    const fresh = (((head >>> 8) + 1) << 8) | next;
    if (Atomics.compareExchange(stack, HEAD, head, fresh) === head) return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, head & 0xff);
    if (Atomics.compareExchange(stack, HEAD, head, n) === head) return;
  }
}
