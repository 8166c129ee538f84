// Per-account promise chains (module state, not the Lock objects): a transfer joins the queues of
// both accounts in one synchronous step, so no two transfers can queue in opposite orders.
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
  const ids = from.id === to.id ? [from.id] : [from.id, to.id];
  const before = ids.map((id) => tails.get(id) ?? Promise.resolve());
  let finish!: () => void;
  const mine = new Promise<void>((resolve) => (finish = resolve));
  for (const id of ids) tails.set(id, mine);
  try {
    await Promise.all(before);
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from.id === to.id) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    finish();
    for (const id of ids) if (tails.get(id) === mine) tails.delete(id);
  }
}
