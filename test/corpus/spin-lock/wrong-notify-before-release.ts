// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: the release wakes a sleeper before it stores 0. The sleeper retries, finds the lock still
// held and sleeps again; then the store frees it with nobody left to wake it — a lost wakeup, as in
// dylibso/chicory#1315.
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) Atomics.wait(bank, LOCK, 1);
}

function unlock(bank: Int32Array): void {
  Atomics.notify(bank, LOCK, 1);
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
