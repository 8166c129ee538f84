import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopPostgres } from '../src/postgres/server.js';
import { PgBench, type Seed } from '../src/postgres/sessions.js';

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
  bench = await PgBench.for('pg-reset-test', SCHEMA);
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
