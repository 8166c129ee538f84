// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: the lock is released before the last write of the balances, so the next holder reads a
// balance that is about to change under it.
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) Atomics.wait(bank, LOCK, 1);
}

function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, 0);
  Atomics.notify(bank, LOCK, 1);
}

export function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  lock(bank);
  if (bank[from] < amount) {
    unlock(bank);
    return false;
  }
  bank[from] -= amount;
  unlock(bank);
  bank[to] += amount;
  return true;
}
