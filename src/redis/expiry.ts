import type { RedisConnection } from './server.js';

/**
 * Key expiry on the checker's virtual clock, kept in the server itself.
 *
 * Redis expires keys on its own real clock, but a lease must expire when the explorer says time has
 * passed, at a step it chooses — never by accident of load. So every expiry a command sets is
 * rewritten, right after the command, into a mark far beyond any real date: the key's expiry time
 * on the server becomes `MARK + its deadline on the virtual clock` (ms). The real server then never
 * expires it, RENAME or COPY carry the mark along like any expiry, and the explorer expires a key
 * itself (DEL, as an expiry would) once the virtual clock reaches its deadline.
 */
export const MARK = 50_000_000_000_000;

/**
 * Converts every key whose expiry is on the real clock (below MARK) into a mark. A command that set
 * the expiry ran at a server time within [t0, t1] (ms); the TTL it gave is `at - that time`. When
 * the window spans a millisecond boundary, the TTL is ambiguous by a millisecond or so: the roundest
 * candidate wins (10000 over 9999), since TTLs are written as round numbers.
 * ARGV: MARK, virtual now, t0, t1. Returns the converted keys and their deadlines: key, ms, key, ms…
 */
const SYNC = `
local mark, now, t0, t1 = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function roundness(n)
  local r = 0
  while r < 6 and n % (10 ^ (r + 1)) == 0 do r = r + 1 end
  return r
end
local converted = {}
for _, key in ipairs(redis.call('KEYS', '*')) do
  local at = redis.call('PEXPIRETIME', key)
  if at >= 0 and at < mark then
    local ttl = at - t0
    for candidate = at - t0, at - t1, -1 do
      if roundness(candidate) > roundness(ttl) then ttl = candidate end
    end
    redis.call('PEXPIREAT', key, mark + now + ttl)
    converted[#converted + 1] = key
    converted[#converted + 1] = now + ttl
  end
end
return converted
`;

/**
 * Converts one key's real-clock expiry, just set by a command whose TTL is known (ARGV[3], ms), into
 * its mark; a key whose expiry the command did not change (SET … NX that lost) keeps its mark.
 * ARGV: MARK, virtual now, TTL. Returns the key's new deadline (ms), or -1 when it got none.
 */
const MARK_ONE = `
local mark = tonumber(ARGV[1])
local at = redis.call('PEXPIRETIME', KEYS[1])
if at >= 0 and at < mark then
  local deadline = tonumber(ARGV[2]) + tonumber(ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], mark + deadline)
  return deadline
end
return -1`;

/** Deletes every key whose virtual deadline is at or before ARGV[2]; returns them, in key order. */
const EXPIRE_DUE = `
local mark, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local due = {}
for _, key in ipairs(redis.call('KEYS', '*')) do
  local at = redis.call('PEXPIRETIME', key)
  if at >= mark and at - mark <= now then due[#due + 1] = key end
end
table.sort(due)
for _, key in ipairs(due) do redis.call('DEL', key) end
return due
`;

/** The earliest virtual deadline of any key, or -1 when no key expires. */
const NEXT_DEADLINE = `
local mark = tonumber(ARGV[1])
local next = -1
for _, key in ipairs(redis.call('KEYS', '*')) do
  local at = redis.call('PEXPIRETIME', key)
  if at >= mark and (next < 0 or at - mark < next) then next = at - mark end
end
return next
`;

/** A server time window, in ms, within which a command ran. */
export interface Window {
  from: number;
  to: number;
}

/** Server time in ms from a TIME reply ([seconds, microseconds]). */
export function timeMs(reply: unknown): number {
  const [seconds, micros] = reply as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The virtual-clock view of expiry, through the checker's own connection to the server. */
export class VirtualExpiry {
  constructor(private readonly admin: RedisConnection) {}

  /**
   * After a script or transaction that ran within `window`: turn the expiries it set into virtual
   * deadlines, counted from `now` (virtual ms).
   */
  async sync(now: number, window: Window): Promise<Map<string, number>> {
    const args = [MARK, now, window.from, window.to].map(String);
    const flat = (await this.admin.sendCommand(['EVAL', SYNC, '0', ...args])) as (string | number)[];
    const deadlines = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) deadlines.set(String(flat[i]), Number(flat[i + 1]));
    return deadlines;
  }

  /** The command that expires (deletes) every key whose deadline is at or before `now` (virtual ms). */
  static expireDue(now: number): string[] {
    return ['EVAL', EXPIRE_DUE, '0', String(MARK), String(now)];
  }

  /**
   * The command that marks `key` after a command that gave it `ttl` ms (known from its arguments):
   * sent on the same connection right behind that command, so nothing runs between them.
   */
  static markOne(key: string, ttl: number, now: number): string[] {
    return ['EVAL', MARK_ONE, '1', key, String(MARK), String(now), String(ttl)];
  }

  /** Expire (delete) every key whose deadline is at or before `now` (virtual ms); returns their names. */
  async expireDue(now: number): Promise<string[]> {
    return (await this.admin.sendCommand(['EVAL', EXPIRE_DUE, '0', String(MARK), String(now)])) as string[];
  }

  /** The earliest deadline (virtual ms) of any key, or null when none expires. */
  async nextDeadline(): Promise<number | null> {
    const next = Number(await this.admin.sendCommand(['EVAL', NEXT_DEADLINE, '0', String(MARK)]));
    return next < 0 ? null : next;
  }

  /**
   * A key's deadline (virtual ms): null when it has no expiry, undefined when it does not exist. (An
   * expiry not yet converted, which no released command leaves behind, reads as its real time.)
   */
  async deadline(key: string): Promise<number | null | undefined> {
    const at = Number(await this.admin.sendCommand(['PEXPIRETIME', key]));
    if (at === -2) return undefined;
    if (at === -1) return null;
    return at >= MARK ? at - MARK : at;
  }
}
