// Takes 'from', then tries 'to' with a 50 ms timeout and backs off on timeout: a real timer, and the
// abandoned acquire() still takes the lock later and nobody releases it.
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

const timeout = (ms: number) => new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  for (;;) {
    const releaseFrom = await from.lock.acquire();
    const releaseTo = from === to ? null : await Promise.race([to.lock.acquire(), timeout(50)]);
    if (from !== to && releaseTo === null) {
      releaseFrom();
      continue;
    }
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
}
