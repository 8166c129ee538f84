// Lower id first, each lock released by its own finally; a self-transfer takes one lock.
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
      await ledger.setBalance(from.id, balance - amount);
      await ledger.setBalance(to.id, (await ledger.balance(to.id)) + amount);
      return true;
    } finally {
      releaseSecond();
    }
  } finally {
    releaseFirst();
  }
}
