// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Right: number in the low 16 bits, a 15-bit generation above (the generation number packed beside
// the index of gwsystems/composite#59), bumped by every swap.
const bump = (head: number, n: number) => ((((head >>> 16) + 1) & 0x7fff) << 16) | n;

export function pop(stack: Int32Array): number {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    const top = head & 0xffff;
    if (top === 0) return 0;
    const next = Atomics.load(stack, NEXT + top);
    if (Atomics.compareExchange(stack, HEAD, head, bump(head, next)) === head) return top;
  }
}

export function push(stack: Int32Array, n: number): void {
  for (;;) {
    const head = Atomics.load(stack, HEAD);
    Atomics.store(stack, NEXT + n, head & 0xffff);
    if (Atomics.compareExchange(stack, HEAD, head, bump(head, n)) === head) return;
  }
}
