import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../src/explorer/world.js';
import { stopPostgres } from '../src/postgres/server.js';
import { deferredBegin, PgBench, type Seed } from '../src/postgres/sessions.js';

const SCHEMA = `CREATE TABLE seats (id int PRIMARY KEY, label text NOT NULL);
  CREATE TABLE bookings (id serial PRIMARY KEY, seat_id int NOT NULL REFERENCES seats, customer text NOT NULL);
  CREATE TABLE notes (body text)`;
const SEED: Seed = {
  seats: "INSERT INTO seats VALUES (1, 'A1'), (2, 'A2')",
  bookings: "INSERT INTO bookings (seat_id, customer) VALUES (2, 'zoe')",
};

let bench: PgBench;
beforeAll(async () => {
  delete process.env.DATABASE_URL;
  bench = await PgBench.for('pg-reset-test', SCHEMA, { writeMarks: true });
});
afterAll(() => stopPostgres());

/** Each table's file: TRUNCATE gives a table a new one, so an unchanged file means it was kept. */
const files = async () =>
  (
    await bench.read<{ seats: string; bookings: string; notes: string }>(
      "SELECT pg_relation_filenode('seats') AS seats, pg_relation_filenode('bookings') AS bookings, pg_relation_filenode('notes') AS notes",
    )
  )[0]!;
const rows = async () => ({
  seats: await bench.read('SELECT * FROM seats ORDER BY id'),
  bookings: await bench.read('SELECT * FROM bookings ORDER BY id'),
  notes: await bench.read('SELECT * FROM notes'),
});
/** Run one statement of session 0 as the explorer would: issued, then released. */
async function step(world: World, run: () => Promise<unknown>): Promise<unknown> {
  const answer = world.runAs(0, run);
  const op = [...world.pending.values()].find((pending) => pending.task === 0)!;
  await op.release(false);
  return answer;
}

const SEEDED = {
  seats: [
    { id: 1, label: 'A1' },
    { id: 2, label: 'A2' },
  ],
  bookings: [{ id: 1, seat_id: 2, customer: 'zoe' }],
  notes: [],
};

describe('a reset empties and loads only the tables a schedule wrote', () => {
  it('loads every table at first, and keeps them all when nothing wrote', async () => {
    await bench.reset(0, SEED);
    expect(await rows()).toEqual(SEEDED);
    const before = await files();
    await bench.read('SELECT * FROM seats FOR UPDATE');
    await bench.reset(0, SEED);
    expect(await files()).toEqual(before);
  });

  it('reloads a table written by a statement that rolled back, and keeps the others', async () => {
    const before = await files();
    await bench.read("BEGIN; INSERT INTO bookings (seat_id, customer) VALUES (1, 'ann'); ROLLBACK");
    await bench.reset(0, SEED);
    const after = await files();
    expect(after.bookings).not.toBe(before.bookings);
    expect([after.seats, after.notes]).toEqual([before.seats, before.notes]);
    // The identity restarted: the seeded booking is 1 again, and the next one gets 2.
    expect(await rows()).toEqual(SEEDED);
    expect(
      await bench.read("INSERT INTO bookings (seat_id, customer) VALUES (1, 'ann') RETURNING id"),
    ).toEqual([{ id: 2 }]);
  });

  it('reloads a table whose sequence moved though no row was written', async () => {
    await bench.reset(0, SEED);
    const before = await files();
    await bench.read("SELECT nextval('bookings_id_seq')");
    await bench.reset(0, SEED);
    expect((await files()).bookings).not.toBe(before.bookings);
    expect(await bench.read('SELECT last_value, is_called FROM bookings_id_seq')).toEqual([
      { last_value: '1', is_called: true },
    ]);
  });

  it('reloads with a table written the tables that reference it', async () => {
    const before = await files();
    await bench.read("UPDATE seats SET label = 'B1' WHERE id = 1");
    await bench.reset(0, SEED);
    const after = await files();
    expect(after.seats).not.toBe(before.seats);
    expect(after.bookings).not.toBe(before.bookings);
    expect(after.notes).toBe(before.notes);
    expect(await rows()).toEqual(SEEDED);
  });

  it('sees a write made with triggers turned off for replication', async () => {
    await bench.read(
      "SET session_replication_role = replica; INSERT INTO notes VALUES ('hi'); RESET session_replication_role",
    );
    await bench.reset(0, SEED);
    expect((await rows()).notes).toEqual([]);
  });

  it('reloads a table whose seed changed', async () => {
    await bench.reset(0, { ...SEED, notes: "INSERT INTO notes VALUES ('new')" });
    expect((await rows()).notes).toEqual([{ body: 'new' }]);
    await bench.reset(0, SEED);
    expect((await rows()).notes).toEqual([]);
  });
});

describe('a BEGIN goes out with the statement after it', () => {
  it.each(['BEGIN', 'begin;', 'START TRANSACTION', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'BEGIN WORK'])(
    'a BEGIN that cannot fail waits: %s',
    (sql) => expect(deferredBegin(sql)).toBe(true),
  );
  it.each(['BEGIN ISOLATION LEVEL SERIALISABLE', 'BEGIN READ ONLY', 'BEGIN; SELECT 1', 'COMMIT'])(
    'anything else is sent at once: %s',
    (sql) => expect(deferredBegin(sql)).toBe(false),
  );

  const inTransaction = async () =>
    (
      await bench.read<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()",
      )
    )[0]!.n;

  it('answers BEGIN at once, and the transaction holds from the next statement on', async () => {
    await bench.reset(1, SEED);
    const world = new World();
    const db = bench.session(world, 0, ['t1']);
    expect(await step(world, () => db.query('BEGIN'))).toMatchObject({ command: 'BEGIN', rows: [] });
    expect(await inTransaction()).toBe(0);
    expect(await bench.inTransaction(0)).toBe(true);
    await step(world, () => db.query("UPDATE seats SET label = 'B1' WHERE id = 1"));
    expect(await inTransaction()).toBe(1);
    expect(await bench.read('SELECT label FROM seats WHERE id = 1')).toEqual([{ label: 'A1' }]);
    await step(world, () => db.query('ROLLBACK'));
    expect(await bench.inTransaction(0)).toBe(false);
    expect(await bench.read('SELECT label FROM seats WHERE id = 1')).toEqual([{ label: 'A1' }]);
  });

  it('a BEGIN left alone still counts as a transaction left open, and the reset drops it', async () => {
    await bench.reset(1, SEED);
    const world = new World();
    const db = bench.session(world, 0, ['t1']);
    await step(world, () => db.query('BEGIN'));
    expect(await bench.inTransaction(0)).toBe(true);
    await bench.reset(1, SEED);
    expect(await bench.inTransaction(0)).toBe(false);
    const next = new World();
    const again = bench.session(next, 0, ['t1']);
    const update = next.runAs(0, () => again.query("UPDATE seats SET label = 'B1' WHERE id = 1"));
    // Outside a transaction, the statement runs, then commits as a step of its own.
    await [...next.pending.values()][0]!.release(false);
    await [...next.pending.values()][0]!.release(false);
    expect(await update).toMatchObject({ command: 'UPDATE', rowCount: 1 });
    expect(await bench.inTransaction(0)).toBe(false);
    expect(await bench.read('SELECT label FROM seats WHERE id = 1')).toEqual([{ label: 'B1' }]);
  });
});

describe("a session's state is cleared between schedules", () => {
  const lastQuery = async () =>
    (
      await bench.read<{ query: string }>(
        "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SET lock_timeout%'",
      )
    ).length;

  it('by a DISCARD ALL sent with the next statement: a SET is gone by then', async () => {
    await bench.reset(1, SEED);
    const world = new World();
    const db = bench.session(world, 0, ['t1']);
    await step(world, () => db.query("SET lock_timeout = '1s'"));
    await bench.reset(1, SEED);
    // Nothing was sent to the session at the reset: its last statement is still the SET.
    expect(await lastQuery()).toBe(1);
    const next = new World();
    const again = bench.session(next, 0, ['t1']);
    expect(await step(next, () => again.query('SHOW lock_timeout'))).toMatchObject({
      rows: [{ lock_timeout: '0' }],
    });
  });

  it('at the reset itself for a session holding an advisory lock, which others would see', async () => {
    await bench.reset(1, SEED);
    const world = new World();
    const db = bench.session(world, 0, ['t1']);
    await step(world, () => db.query('SELECT pg_advisory_lock(42)'));
    await bench.reset(1, SEED);
    expect(await bench.read("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")).toEqual([
      { n: 0 },
    ]);
  });
});
