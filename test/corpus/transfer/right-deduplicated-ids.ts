// Deduplicate the accounts by id (one lock for a self-transfer), sort by id, take and release them all.
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
  const accounts = [...new Map([from, to].map((account) => [account.id, account])).values()];
  accounts.sort((x, y) => x.id.localeCompare(y.id));
  const releases: (() => void)[] = [];
  try {
    for (const account of accounts) releases.push(await account.lock.acquire());
    const debit = await ledger.balance(from.id);
    if (debit < amount) return false;
    if (accounts.length === 1) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, debit - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    while (releases.length > 0) releases.pop()!();
  }
}
