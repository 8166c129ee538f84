/**
 * Redis commands as data: how one reads in the timeline, what expiry it sets, and how its absolute
 * times (on the checker's virtual clock) are sent to a server that runs on the real one.
 */

/** A command as sent: its name, upper-case, then its arguments as Redis receives them. */
export type Command = readonly string[];

/** Arguments the learner may pass: strings and numbers, or arrays of them (flattened, as ioredis does). */
export type Argument = string | number | readonly (string | number)[];

/** The command a method call stands for; throws a TypeError naming the bad argument. */
export function toCommand(name: string, args: readonly unknown[]): Command {
  const flat: string[] = [name.toUpperCase()];
  args.forEach((arg, index) => {
    for (const item of Array.isArray(arg) ? arg : [arg]) {
      if (typeof item === 'string') flat.push(item);
      else if (typeof item === 'number' && Number.isFinite(item)) flat.push(String(item));
      else
        throw new TypeError(
          `redis.${name.toLowerCase()}: argument ${index + 1} is ${String(item)}; pass strings and numbers`,
        );
    }
  });
  return flat;
}

const SCRIPT_SHOWN = 44;

/** A script on one line, cut to its first characters: the timeline names it, the file holds it. */
function shortScript(script: string): string {
  const line = script.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > SCRIPT_SHOWN ? `${line.slice(0, SCRIPT_SHOWN - 1)}…` : line);
}

/** An argument as redis-cli would echo it: bare when it is one plain word, quoted otherwise. */
function word(arg: string): string {
  return /^[\w:.+\-/@#]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/** `SET lock:job a1 NX PX 10000`, `EVAL "if redis.call('get'…" 1 lock:job a1`, `EVALSHA 9b1c3f0a… 1 k`. */
export function commandText(command: Command): string {
  const [name = '', ...args] = command;
  if ((name === 'EVAL' || name === 'EVAL_RO') && args.length > 0) {
    return [name, shortScript(args[0]!), ...args.slice(1).map(word)].join(' ');
  }
  if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args.length > 0) {
    return [name, `${args[0]!.slice(0, 8)}…`, ...args.slice(1).map(word)].join(' ');
  }
  return [name, ...args.map(word)].join(' ');
}

/** A reply as the timeline shows it: `OK`, `nil`, `1`, `'a1'`, `[1, 'a1', nil]`. */
export function replyText(reply: unknown): string {
  if (reply === null || reply === undefined) return 'nil';
  if (typeof reply === 'string') return reply === 'OK' || reply === 'QUEUED' ? reply : `'${reply}'`;
  if (Array.isArray(reply)) {
    const items = reply.map(replyText);
    const text = `[${items.join(', ')}]`;
    return text.length > 60 ? `[${items.slice(0, 4).join(', ')}, … ${reply.length} items]` : text;
  }
  if (reply instanceof Error) return `(error) ${reply.message}`;
  return String(reply);
}

/** The expiry a command gives one key: its TTL in ms, counted on the virtual clock. */
export interface ExpiryChange {
  key: string;
  ttl: number;
}

const upper = (arg: string | undefined) => arg?.toUpperCase();

/** The option of SET or GETEX that sets an expiry, with its value's position, if any. */
function expiryOption(args: readonly string[], from: number): { at: number; option: string } | null {
  for (let i = from; i < args.length; i++) {
    const option = upper(args[i]);
    if (option === 'EX' || option === 'PX' || option === 'EXAT' || option === 'PXAT')
      return { at: i, option };
  }
  return null;
}

/** A relative expiry in ms from an option and its value; absolute ones are read on the virtual clock. */
function relative(option: string, value: string | undefined, now: number): number | null {
  const n = Number(value);
  if (!Number.isFinite(n)) return null;
  switch (option) {
    case 'EX':
      return n * 1000;
    case 'PX':
      return n;
    case 'EXAT':
      return n * 1000 - now;
    case 'PXAT':
      return n - now;
    default:
      return null;
  }
}

/**
 * The expiry a top-level command sets, exactly, from its arguments: `SET k v PX 10000` gives k 10 s.
 * Null when the command sets none this way (then the server is asked). Absolute times (EXAT, PXAT,
 * EXPIREAT, PEXPIREAT) count on the virtual clock, whose time is `now` (ms).
 */
export function expiryOf(command: Command, now: number): ExpiryChange | null {
  const [name, key, ...rest] = command;
  if (key === undefined) return null;
  switch (name) {
    case 'SET':
    case 'GETEX': {
      const found = expiryOption(command, name === 'SET' ? 3 : 2);
      if (!found) return null;
      const ttl = relative(found.option, command[found.at + 1], now);
      return ttl === null ? null : { key, ttl };
    }
    case 'SETEX':
      return { key, ttl: Number(rest[0]) * 1000 };
    case 'PSETEX':
      return { key, ttl: Number(rest[0]) };
    case 'EXPIRE':
      return { key, ttl: Number(rest[0]) * 1000 };
    case 'PEXPIRE':
      return { key, ttl: Number(rest[0]) };
    case 'EXPIREAT':
      return { key, ttl: Number(rest[0]) * 1000 - now };
    case 'PEXPIREAT':
      return { key, ttl: Number(rest[0]) - now };
    default:
      return null;
  }
}

/**
 * The command the server gets: absolute expiry times, which the learner reads off the virtual clock,
 * become relative ones the real server's clock can apply (`PXAT t` → `PX t-now`; a time already past
 * stays absolute and in the past, so the key expires at once, as it would).
 */
export function forServer(command: Command, now: number): Command {
  const [name, key] = command;
  if (key === undefined) return command;
  if (name === 'SET' || name === 'GETEX') {
    const found = expiryOption(command, name === 'SET' ? 3 : 2);
    if (!found || (found.option !== 'EXAT' && found.option !== 'PXAT')) return command;
    const ttl = relative(found.option, command[found.at + 1], now);
    if (ttl === null) return command;
    const sent = [...command];
    if (ttl > 0) sent.splice(found.at, 2, 'PX', String(ttl));
    else sent.splice(found.at, 2, 'PXAT', '1');
    return sent;
  }
  if (name === 'EXPIREAT' || name === 'PEXPIREAT') {
    const ttl = expiryOf(command, now)?.ttl;
    if (ttl === null || ttl === undefined || !Number.isFinite(ttl)) return command;
    return ['PEXPIRE', key, String(Math.max(0, ttl)), ...command.slice(3)];
  }
  return command;
}

/**
 * Commands whose effect on expiry cannot be read from their arguments (a script, a copied or restored
 * key): after one, the server is asked which keys got a TTL.
 */
export function isOpaque(command: Command): boolean {
  return /^(EVAL|EVALSHA|EVAL_RO|EVALSHA_RO|FCALL|FCALL_RO|COPY|RESTORE)$/.test(command[0] ?? '');
}

/** Commands that can wait on the server for another client (BLPOP): only these are watched for it. */
export function mayBlock(command: Command): boolean {
  const [name = '', ...args] = command;
  if (/^(BLPOP|BRPOP|BRPOPLPUSH|BLMOVE|BLMPOP|BZPOPMIN|BZPOPMAX|BZMPOP|WAIT|WAITAOF)$/.test(name))
    return true;
  return (name === 'XREAD' || name === 'XREADGROUP') && args.some((arg) => arg.toUpperCase() === 'BLOCK');
}

/** Commands that read a key's expiry: their replies are answered from the virtual clock. */
export const EXPIRY_READS = new Set(['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']);
