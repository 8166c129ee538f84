// A lock-free stack of buffers 1–8 in shared memory (the aba-stack exercise): stack[0] the head, stack[n] the buffer below n.
export const HEAD = 0;
export const NEXT = 0;

// Wrong: a spin lock around the stack instead (the fix ICLDisco/parsec#21 proposed for its ABA-prone
// LIFO) — but pop returns on an empty stack without releasing it, and the next caller sleeps forever.
const LOCK = 9;

function lock(stack: Int32Array): void {
  while (Atomics.compareExchange(stack, LOCK, 0, 1) !== 0) Atomics.wait(stack, LOCK, 1);
}

function unlock(stack: Int32Array): void {
  Atomics.store(stack, LOCK, 0);
  Atomics.notify(stack, LOCK, 1);
}

export function pop(stack: Int32Array): number {
  lock(stack);
  const top = stack[HEAD];
  if (top === 0) return 0;
  stack[HEAD] = stack[NEXT + top];
  unlock(stack);
  return top;
}

export function push(stack: Int32Array, n: number): void {
  lock(stack);
  stack[NEXT + n] = stack[HEAD];
  stack[HEAD] = n;
  unlock(stack);
}
