import type { Db } from '../postgres/sessions.js';
import { type Check, exported, realTimeOrders, results } from './check.js';
import { type Database, pgScenario } from './pg-check.js';

type Withdraw = (db: Db, id: number, amount: number) => Promise<boolean>;

const database = (opening: number): Database => ({
  name: `withdraw-${opening}`,
  schema: 'CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)',
  seed: `TRUNCATE accounts; INSERT INTO accounts VALUES (1, ${opening}), (2, 500)`,
});

/** Two withdrawals from account 1; the outcome must match running them one at a time. */
function twoWithdrawals(name: string, opening: number, amounts: [number, number]) {
  return pgScenario(database(opening), {
    name,
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
      for (const order of realTimeOrders(outcomes)) {
        let left = opening;
        const expected: boolean[] = [];
        for (const i of order) {
          expected[i] = left >= amounts[i]!;
          if (expected[i]) left -= amounts[i]!;
        }
        if (left === balance && expected.every((e, i) => outcomes[i]!.value === e)) return null;
      }
      return `no order of running the withdrawals one at a time gives ${results(outcomes)} with a balance of ${balance} (it started at ${opening}).`;
    },
  });
}

export const check: Check = {
  exercise: 'withdraw',
  scenarios: [
    twoWithdrawals('two withdrawals that do not both fit', 100, [60, 50]),
    twoWithdrawals('two withdrawals that both fit', 100, [30, 40]),
  ],
  budget: { maxSchedules: 50, random: 10 },
};
