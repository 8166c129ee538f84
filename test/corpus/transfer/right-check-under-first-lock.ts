// Ordered by id; when 'from' is the first lock, its funds are checked before the second lock is
// taken (from's balance only changes under from's lock), and a short one returns early.
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
  const [first, second] = from.id <= to.id ? [from, to] : [to, from];
  const releaseFirst = await first.lock.acquire();
  try {
    let balance: number | undefined;
    if (first === from) {
      balance = await ledger.balance(from.id);
      if (balance < amount) return false;
      if (from === to) return true;
    }
    const releaseSecond = await second.lock.acquire();
    try {
      balance ??= await ledger.balance(from.id);
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
