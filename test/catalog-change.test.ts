import { describe, expect, it } from 'vitest';
import { mayChangeCatalog } from '../src/postgres/sessions.js';

describe('mayChangeCatalog: when the schema must be checked before the next schedule', () => {
  it.each([
    'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE',
    'UPDATE accounts SET balance = balance - $1 WHERE id = $2',
    "INSERT INTO bookings (seat_id, customer) VALUES ($1, 'a -- b')",
    'BEGIN ISOLATION LEVEL SERIALIZABLE',
    'COMMIT;',
    '  -- a comment\n  delete from jobs where id = 1',
    'WITH t AS (SELECT 1) SELECT * FROM t',
    "SELECT pg_advisory_xact_lock(hashtext('report'))",
  ])('a plain statement does not: %s', (sql) => {
    expect(mayChangeCatalog(sql)).toBe(false);
  });

  it.each([
    'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql',
    'ALTER TABLE accounts ADD CHECK (balance >= 0)',
    'CREATE INDEX ON jobs (status)',
    "DO $$ BEGIN EXECUTE 'DROP TABLE x'; END $$",
    "SELECT '--'; DROP TABLE accounts",
    'SELECT 1; CREATE TABLE t (x int)',
    'SELECT * INTO copy FROM accounts',
    '/* hi */ TRUNCATE accounts',
    "SELECT 1 -- it's\n; DROP TABLE x",
    'create trigger t before update on accounts for each row execute function f()',
  ])('DDL, or what may hide it, does: %s', (sql) => {
    expect(mayChangeCatalog(sql)).toBe(true);
  });
});
