// Source: vercel/flags#473 and Samsung/TizenFX#3888 (a cached init failure is rethrown forever) —
// one shared promise, so one connect; but a connect that failed once fails every query after it.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private opening: Promise<Pool> | null = null;
  private closing: Promise<void> | null = null;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.closing) throw new Error('the database is closed');
    this.opening ??= this.connect();
    const pool = await this.opening;
    if (this.closing) throw new Error('the database is closed');
    return pool.query(sql);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const pool = await this.opening?.catch(() => null);
      await pool?.end();
    })();
    return this.closing;
  }
}
