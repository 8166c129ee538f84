// Two balances under a lock word in shared memory (the spin-lock exercise): bank[0] the lock, bank[1] and bank[2] the balances.
export const LOCK = 0;

// Right: the three-state futex mutex of Drepper's "Futexes Are Tricky" (0 free, 1 held, 2 held with
// sleepers): the release notifies only when someone may sleep.
function lock(bank: Int32Array): void {
  let c = Atomics.compareExchange(bank, LOCK, 0, 1);
  if (c === 0) return;
  if (c !== 2) c = Atomics.exchange(bank, LOCK, 2);
  while (c !== 0) {
    Atomics.wait(bank, LOCK, 2);
    c = Atomics.exchange(bank, LOCK, 2);
  }
}

function unlock(bank: Int32Array): void {
  if (Atomics.exchange(bank, LOCK, 0) === 2) Atomics.notify(bank, LOCK, 1);
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
