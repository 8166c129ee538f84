import { isUserError } from '../errors.js';
import type { World } from '../explorer/world.js';
import { VirtualExpiry } from './expiry.js';
import { connectRedis, emptyDatabase, getRedis, type RedisConnection, type RedisServer } from './server.js';
import { type Link, RedisSession, type SessionOptions } from './session.js';

export type { Observation, RedisPort, SessionOptions } from './session.js';

/**
 * The Redis of the checks in one grader process: the server, the checker's own connection (to
 * reset the data, expire keys, read the final state) and one connection per simulated process.
 */
export class RedisBench {
  private readonly links: Link[] = [];
  readonly expiry: VirtualExpiry;

  private constructor(
    private readonly server: RedisServer,
    private readonly admin: RedisConnection,
  ) {
    this.expiry = new VirtualExpiry(admin);
  }

  private static bench: Promise<RedisBench> | undefined;

  /**
   * The bench, created on first use. Throws `RedisUnavailable` on a machine without Redis, and a
   * `UserError` when a REDIS_URL database holds data racelings did not write (it empties it).
   */
  static get(): Promise<RedisBench> {
    if (!RedisBench.bench) {
      const created = RedisBench.create();
      RedisBench.bench = created;
      created.catch(() => {
        if (RedisBench.bench === created) RedisBench.bench = undefined;
      });
    }
    return RedisBench.bench;
  }

  /**
   * The bench, reset for a schedule of `count` processes (see `reset`). A bench whose server went
   * away (it was killed, or restarted) is dropped and made again once, on a server started afresh.
   */
  static async ready(count: number): Promise<RedisBench> {
    const bench = await RedisBench.get();
    try {
      await bench.reset(count);
      return bench;
    } catch (error) {
      if (isUserError(error)) throw error;
      bench.close();
      if (RedisBench.bench !== undefined && (await RedisBench.bench.catch(() => null)) === bench) {
        RedisBench.bench = undefined;
      }
      const again = await RedisBench.get();
      await again.reset(count);
      return again;
    }
  }

  /** Close every connection of the bench. */
  close(): void {
    this.admin.destroy();
    for (const link of this.links.splice(0)) link.connection.destroy();
  }

  private static async create(): Promise<RedisBench> {
    const server = await getRedis();
    const admin = await connectRedis(server.address);
    try {
      await emptyDatabase(admin, server);
    } catch (error) {
      admin.destroy();
      throw error;
    }
    return new RedisBench(server, admin);
  }

  private async link(): Promise<Link> {
    const connection = await connectRedis(this.server.address);
    return { connection, id: String(await connection.sendCommand(['CLIENT', 'ID'])), busy: false };
  }

  /** Empty the database and the script cache, and make `count` idle connections with nothing WATCHed. */
  async reset(count: number): Promise<void> {
    for (const [index, link] of this.links.entries()) {
      if (!link.busy) continue;
      link.connection.destroy();
      this.links[index] = await this.link();
    }
    while (this.links.length < count) this.links.push(await this.link());
    await Promise.all([
      emptyDatabase(this.admin, this.server),
      this.admin.sendCommand(['SCRIPT', 'FLUSH']),
      ...this.links.map((link) => link.connection.sendCommand(['UNWATCH'])),
    ]);
  }

  /** Run a command as the checker, outside every simulated process (to set up or read the state). */
  read(...command: (string | number)[]): Promise<unknown> {
    return this.admin.sendCommand(command.map(String));
  }

  /**
   * The Redis of one explored run: its processes' connections as ports, on the run's virtual clock.
   * Call after `reset`.
   */
  session(world: World, options: SessionOptions = {}): RedisSession {
    return new RedisSession(this.admin, this.expiry, this.links, world, options);
  }
}
