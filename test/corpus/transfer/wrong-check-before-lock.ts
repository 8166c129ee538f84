// Checks the balance before taking the locks: the check is stale by the time the money moves.
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
  if ((await ledger.balance(from.id)) < amount) return false;
  const ordered = from === to ? [from] : [from, to].sort((x, y) => (x.id < y.id ? -1 : 1));
  const releases: (() => void)[] = [];
  try {
    for (const account of ordered) releases.push(await account.lock.acquire());
    if (from === to) return true;
    const debit = await ledger.balance(from.id);
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, debit - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    for (const release of releases.reverse()) release();
  }
}
