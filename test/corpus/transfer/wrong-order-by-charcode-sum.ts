// Orders the locks by a numeric "hash" of the id (sum of char codes): ids that collide ('ab'/'ba',
// 'alice'/'celia') keep argument order, and opposite transfers between them deadlock.
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

const rank = (id: string) => [...id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const accounts = from === to ? [from] : [from, to].sort((x, y) => rank(x.id) - rank(y.id));
  const releases: (() => void)[] = [];
  try {
    for (const account of accounts) releases.push(await account.lock.acquire());
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
