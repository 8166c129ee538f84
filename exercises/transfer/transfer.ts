/**
 * Moves money between two accounts of a wallet service. Each account has its own lock so that
 * transfers between different accounts can run at the same time.
 */
export interface Lock {
  /** Waits until the lock is free, takes it, and resolves with the function that releases it. */
  acquire(): Promise<() => void>;
}

export interface Account {
  readonly id: string;
  readonly lock: Lock;
}

export interface Ledger {
  balance(id: string): Promise<number>;
  setBalance(id: string, amount: number): Promise<void>;
}

/**
 * Moves `amount` (a positive integer) from `from` to `to` if `from` holds enough, and answers true;
 * otherwise changes nothing and answers false.
 */
export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const releaseFrom = await from.lock.acquire();
  const releaseTo = await to.lock.acquire();
  try {
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, (await ledger.balance(to.id)) + amount);
    return true;
  } finally {
    releaseTo();
    releaseFrom();
  }
}
