import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord, results } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type Withdraw = (db: Db, id: number, amount: number) => Promise<boolean>;

/** Withdrawals from account 1 (account 2 holds 500 and is never touched), each on its own connection. */
export interface WithdrawWorkload {
  opening: number;
  amounts: number[];
}

const database = (opening: number): Database => ({
  name: `withdraw-${opening}`,
  schema: 'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)',
  seed: { accounts: `INSERT INTO accounts VALUES (1, ${opening}), (2, 500)` },
});

/** The contract, one withdrawal at a time: take the amount when the balance covers it (true), else nothing. */
const model: SequentialModel<number, number> = {
  apply: (balance, amount) =>
    balance >= amount ? { state: balance - amount, answer: true } : { state: balance, answer: false },
  key: String,
};

function scenario({ opening, amounts }: WithdrawWorkload) {
  return pgScenario(database(opening), {
    name: describe({ opening, amounts }),
    calls: amounts.map((amount) => ({
      label: `withdraw(1, ${amount})`,
      run: (db: Db, mod: Record<string, unknown>) =>
        exported<Withdraw>(mod, 'withdraw', 'the function')(db, 1, amount),
    })),
    async check(outcomes, read) {
      const [{ balance } = { balance: Number.NaN }] = await read<{ balance: number }>(
        'SELECT balance FROM accounts WHERE id = 1',
      );
      const [{ other } = { other: Number.NaN }] = await read<{ other: number }>(
        'SELECT balance AS other FROM accounts WHERE id = 2',
      );
      if (other !== 500) return `account 2 changed to ${other}, but nobody withdrew from it.`;
      if (balance < 0)
        return `the balance of account 1 went negative (${balance}): money was paid out that was not there.`;
      if (linearize(model, opening, amounts, outcomes, { accept: (left) => left === balance })) return null;
      const exact = amounts.find((amount) => amount === opening);
      const hint =
        exact !== undefined && outcomes.every((o) => o.value === false)
          ? ` A withdrawal of the whole balance (${exact} from ${opening}) must succeed.`
          : '';
      return `no order of running the withdrawals one at a time gives ${results(outcomes)} with a balance of ${balance} (it started at ${opening}).${hint}`;
    },
  });
}

function describe({ opening, amounts }: WithdrawWorkload): string {
  return `${callers(amounts.map((amount) => `withdraw(1, ${amount})`))}; account 1 holds ${opening}`;
}

const EXAMPLES: WithdrawWorkload[] = [
  { opening: 100, amounts: [60, 50] },
  { opening: 100, amounts: [100] },
  { opening: 100, amounts: [30, 40] },
  { opening: 100, amounts: [100, 50] },
];

export const check: Check<WithdrawWorkload> = {
  exercise: 'withdraw',
  version: 2,
  workloads: {
    arbitrary: fc.record({
      opening: fc.constant(100),
      amounts: fc.array(fc.constantFrom(100, 101, 60, 50, 40, 1), { minLength: 1, maxLength: 3 }),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value) || !Number.isInteger(value.opening) || (value.opening as number) < 0) return null;
      const amount = (x: unknown): x is number =>
        Number.isInteger(x) && (x as number) > 0 && (x as number) <= 10_000;
      if (!arrayOf(value.amounts, amount, 1, 3)) return null;
      return { opening: value.opening as number, amounts: value.amounts };
    },
  },
  scenario,
  budget: PG_BUDGET,
};
