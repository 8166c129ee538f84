// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Right: Atomics.exchange answers the old value, so only the thread that swapped out a 0 holds the
// lock; losers sleep until notified (the test-and-set lock of apache/nuttx#2624, with a futex wait).
function lock(bank: Int32Array): void {
  while (Atomics.exchange(bank, LOCK, 1) !== 0) Atomics.wait(bank, LOCK, 1);
}

function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, 0);
  Atomics.notify(bank, LOCK, 1);
}

export function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  lock(bank);
  try {
    if (bank[from] < amount) return false;
    bank[from] -= amount;
    bank[to] += amount;
    return true;
  } finally {
    unlock(bank);
  }
}
