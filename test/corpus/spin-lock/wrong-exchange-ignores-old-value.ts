// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: Atomics.exchange sets the word in one step, but its answer — was it already held? — is
// ignored, so every caller goes in. (Inori/GPCS4#87: the exchange must decide who holds the lock.)
function lock(bank: Int32Array): void {
  Atomics.exchange(bank, LOCK, 1);
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
