// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: compareExchange makes the lock safe, but a loser retries at once, burning its core (the CAS
// in the spin loop of eclipse-omr/omr#136, without even a read to wait on).
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) {
    // try again
  }
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
