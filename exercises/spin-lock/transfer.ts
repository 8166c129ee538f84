// Two accounts in shared memory, and several worker threads moving money between them.
//
// `bank` is an Int32Array over a SharedArrayBuffer that every thread sees:
//   bank[LOCK]  the lock word: 0 while the lock is free, anything else while a thread holds it
//   bank[1]     the balance of account 1
//   bank[2]     the balance of account 2
// A transfer reads and writes both balances, so it runs under the lock: one thread at a time.
export const LOCK = 0;

function lock(bank: Int32Array): void {
  while (Atomics.load(bank, LOCK) !== 0) {
    // Someone holds it: spin until they let go.
  }
  Atomics.store(bank, LOCK, 1);
}

function unlock(bank: Int32Array): void {
  Atomics.store(bank, LOCK, 0);
}

/**
 * Move `amount` from account `from` to account `to` (1 and 2, or 2 and 1) if `from` holds that
 * much: true when it moved, false when there was not enough. Runs on a worker thread, at the same
 * time as other transfers.
 */
export function transfer(bank: Int32Array, from: number, to: number, amount: number): boolean {
  lock(bank);
  if (bank[from] < amount) {
    unlock(bank);
    return false;
  }
  bank[from] -= amount;
  bank[to] += amount;
  unlock(bank);
  return true;
}
