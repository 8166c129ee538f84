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
  // Every transfer takes its locks in one global order (by id, unique and fixed), so no cycle of
  // waits can form; a self-transfer takes its one lock once, since locks are not reentrant.
  const ordered = from === to ? [from] : [from, to].sort((x, y) => (x.id < y.id ? -1 : 1));
  const releases: (() => void)[] = [];
  try {
    for (const account of ordered) releases.push(await account.lock.acquire());
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    for (const release of releases.reverse()) release();
  }
}
