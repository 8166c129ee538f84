// Correct lock order, but the self-transfer path catches a ledger failure and answers false: a
// failed ledger call must make transfer reject. Only failing the balance read of a self-transfer shows it.
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
  if (from === to) {
    const release = await from.lock.acquire();
    try {
      return (await ledger.balance(from.id)) >= amount;
    } catch {
      return false;
    } finally {
      release();
    }
  }
  const [first, second] = from.id < to.id ? [from, to] : [to, from];
  const releaseFirst = await first.lock.acquire();
  try {
    const releaseSecond = await second.lock.acquire();
    try {
      const balance = await ledger.balance(from.id);
      if (balance < amount) return false;
      const credit = await ledger.balance(to.id);
      await ledger.setBalance(from.id, balance - amount);
      await ledger.setBalance(to.id, credit + amount);
      return true;
    } finally {
      releaseSecond();
    }
  } finally {
    releaseFirst();
  }
}
