// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Right: test, then test-and-set (the TTAS lock of chapel-lang/chapel#13116), sleeping while held
// instead of spinning, and waking every sleeper on release.
function lock(bank: Int32Array): void {
  for (;;) {
    if (Atomics.load(bank, LOCK) === 0 && Atomics.compareExchange(bank, LOCK, 0, 1) === 0) return;
    Atomics.wait(bank, LOCK, 1);
  }
}

function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, 0);
  Atomics.notify(bank, LOCK);
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
