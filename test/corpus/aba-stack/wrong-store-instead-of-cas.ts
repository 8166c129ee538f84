// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: no compare-and-swap at all: two pops read the same head and both hand out its buffer.
export function pop(stack: Int32Array): number {
  const top = Atomics.load(stack, HEAD);
  if (top === 0) return 0;
  Atomics.store(stack, HEAD, Atomics.load(stack, NEXT + top));
  return top;
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const top = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, top);
    if (Atomics.compareExchange(stack, HEAD, top, n) === top) return;
  }
}
