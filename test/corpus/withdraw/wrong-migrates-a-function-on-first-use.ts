/**
 * A wrong fix of the shape "create what you need on first use": the module installs a PL/pgSQL
 * function the first time it runs (lower-case DDL behind a comment, as a migration helper might
 * send it) and withdraws through it. The function reads the balance and then updates it, two
 * statements at READ COMMITTED with no lock between them: two withdrawals both see enough money.
 * The schema must be rebuilt after every schedule that created it, or later schedules (and later
 * checks) would run against what this one left.
 *
 *   CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

let installed = false;

async function install(db: Db): Promise<void> {
  if (installed) return;
  installed = true;
  await db.query(`-- migration 0002: withdrawals in the database
    create or replace function take(account int, amount int) returns boolean
    language plpgsql as $body$
    declare current int;
    begin
      select balance into current from accounts where id = account;
      if current is null or current < amount then
        return false;
      end if;
      update accounts set balance = current - amount where id = account;
      return true;
    end
    $body$`);
}

/** Takes `amount` from account `id` if its balance covers it, and answers whether it did. */
export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  await install(db);
  const { rows } = await db.query<{ ok: boolean }>('SELECT take($1, $2) AS ok', [id, amount]);
  return rows[0]?.ok === true;
}
