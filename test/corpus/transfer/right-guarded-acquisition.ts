// A global guard serialises only the taking of the account locks (in argument order); the guard is
// let go once both are held. A holder never needs the guard to finish, so no cycle can form.
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

let guard: Promise<void> = Promise.resolve();

async function takeBoth(accounts: Account[]): Promise<(() => void)[]> {
  let done!: () => void;
  const previous = guard;
  guard = new Promise<void>((resolve) => (done = resolve));
  await previous;
  try {
    const releases: (() => void)[] = [];
    for (const account of accounts) releases.push(await account.lock.acquire());
    return releases;
  } finally {
    done();
  }
}

export async function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const releases = await takeBoth(from === to ? [from] : [from, to]);
  try {
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  } finally {
    for (const release of releases) release();
  }
}
