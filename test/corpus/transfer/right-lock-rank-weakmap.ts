// Orders locks by a rank given to each Lock object the first time it is seen: unique and fixed for
// the life of the process, so every transfer agrees on the order.
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

const ranks = new WeakMap<Lock, number>();
let nextRank = 0;
function rankOf(lock: Lock): number {
  let rank = ranks.get(lock);
  if (rank === undefined) {
    rank = nextRank++;
    ranks.set(lock, rank);
  }
  return rank;
}

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const locks =
    from.lock === to.lock ? [from.lock] : [from.lock, to.lock].sort((x, y) => rankOf(x) - rankOf(y));
  const releases: (() => void)[] = [];
  try {
    for (const lock of locks) releases.push(await lock.acquire());
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from.id === to.id) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    while (releases.length > 0) releases.pop()!();
  }
}
