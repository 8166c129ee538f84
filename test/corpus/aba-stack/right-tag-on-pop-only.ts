// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Right: the tag is bumped by pop alone — enough, since a head can only come back to A after A was
// popped (skeeto/lstack#5 and #11: "the count only needs to be incremented in one direction").
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
    if (Atomics.compareExchange(stack, HEAD, head, (head & ~0xff) | n) === head) return;
  }
}
