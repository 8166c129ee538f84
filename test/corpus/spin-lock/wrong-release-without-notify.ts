// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: losers sleep in Atomics.wait, but the release stores 0 without Atomics.notify: a sleeper is
// never woken (the SAB mutex that "silently degrades" in PerryTS/perry#4913 when notify wakes nobody).
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) Atomics.wait(bank, LOCK, 1);
}

function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, 0);
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
