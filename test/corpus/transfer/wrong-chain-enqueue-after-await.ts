// Per-account chains joined one at a time in argument order, waiting on the first before joining
// the second: opposite transfers each wait on the other's chain.
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

const tails = new Map<string, Promise<void>>();

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  let finish!: () => void;
  const mine = new Promise<void>((resolve) => (finish = resolve));
  try {
    for (const id of from.id === to.id ? [from.id] : [from.id, to.id]) {
      const before = tails.get(id) ?? Promise.resolve();
      tails.set(id, mine);
      await before;
    }
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from.id === to.id) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    finish();
  }
}
