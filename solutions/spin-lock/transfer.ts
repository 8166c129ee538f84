// Two accounts in shared memory, and several worker threads moving money between them.
//
// `bank` is an Int32Array over a SharedArrayBuffer that every thread sees:
//   bank[LOCK]  the lock word: 0 while the lock is free, anything else while a thread holds it
//   bank[1]     the balance of account 1
//   bank[2]     the balance of account 2
// A transfer reads and writes both balances, so it runs under the lock: one thread at a time.
export const LOCK = 0;
const FREE = 0;
const HELD = 1;

/**
 * Take the lock. compareExchange tests the word and sets it in one step, so two threads can never
 * both see it free and both take it. A thread that loses sleeps in Atomics.wait — which only sleeps
 * if the word still reads HELD, so a release between the test and the sleep is not missed — and
 * tries again when the holder wakes it.
 */
function lock(bank: Int32Array): void {
  while (Atomics.compareExchange(bank, LOCK, FREE, HELD) !== FREE) {
    Atomics.wait(bank, LOCK, HELD);
  }
}

/** Release the lock, then wake one sleeper (if any) to try again. */
function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, FREE);
  Atomics.notify(bank, LOCK, 1);
}

/**
 * Move `amount` from account `from` to account `to` (1 and 2, or 2 and 1) if `from` holds that
 * much: true when it moved, false when there was not enough. Every read and write of the balances
 * happens while this thread holds the lock, and every path releases it.
 */
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
