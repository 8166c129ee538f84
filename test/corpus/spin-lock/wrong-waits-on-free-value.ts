// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Wrong: Atomics.wait is given the free value (0): while the lock is held it answers "not-equal" at
// once (a spin), and once the holder has released it, it sleeps with nobody left to wake it. Waiting
// needs the value the sleeper must not miss changing (mdn/content#37742 on when wait returns).
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, 0, 1) !== 0) Atomics.wait(bank, LOCK, 0);
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
