// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: it sleeps instead of spinning, but still takes the lock with a load and then a store: two
// threads both load 0 and both go in. The reader/writer race of boundary/overlock#2, in one word.
function lock(bank: Int32Array): void {
  while (Atomics.load(bank, LOCK) !== 0) Atomics.wait(bank, LOCK, 1);
  Atomics.store(bank, LOCK, 1);
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
