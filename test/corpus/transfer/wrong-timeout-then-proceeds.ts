// A lock with a timeout: if the second lock is not free within 50 ms, go ahead without it ("the
// other transfer must be stuck"). On the checker's clock the timer fires while the other transfer is
// mid-way, and money is lost.
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

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const releaseFrom = await from.lock.acquire();
  const pending = from === to ? null : to.lock.acquire();
  const releaseTo = pending ? await within(pending, 50) : null;
  if (pending && !releaseTo) void pending.then((release) => release());
  try {
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    releaseTo?.();
    releaseFrom();
  }
}
