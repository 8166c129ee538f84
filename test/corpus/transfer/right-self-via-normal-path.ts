// Locks deduplicated and ordered by id; a self-transfer runs the ordinary path, reading the credit
// after the debit is written, so it writes back the balance it started with.
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
  const accounts = from.id === to.id ? [from] : [from, to].sort((x, y) => (x.id < y.id ? -1 : 1));
  const releases: (() => void)[] = [];
  try {
    for (const account of accounts) releases.push(await account.lock.acquire());
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    await ledger.setBalance(from.id, balance - amount);
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    for (const release of releases.reverse()) release();
  }
}
