// One global chain (no per-account locks) whose tail is the transfer itself, with no catch: after one
// failed ledger call every later transfer rejects, forever, though the ledger works again.
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

let tail: Promise<unknown> = Promise.resolve();

export function transfer(ledger: Ledger, from: Account, to: Account, amount: number): Promise<boolean> {
  const run = tail.then(async () => {
    const balance = await ledger.balance(from.id);
    if (balance < amount) return false;
    if (from === to) return true;
    const credit = await ledger.balance(to.id);
    await ledger.setBalance(from.id, balance - amount);
    await ledger.setBalance(to.id, credit + amount);
    return true;
  });
  tail = run;
  return run;
}
