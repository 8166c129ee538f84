// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: a try-lock that gives up when the lock is taken and answers false, as if the money were not
// there: the answers match no order of the transfers.
export function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  if (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) return false;
  try {
    if (bank[from] < amount) return false;
    bank[from] -= amount;
    bank[to] += amount;
    return true;
  } finally {
    Atomics.store(bank, LOCK, 0);
    Atomics.notify(bank, LOCK, 1);
  }
}
