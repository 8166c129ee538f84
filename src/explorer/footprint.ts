/**
 * What one step of a run read and wrote: the footprint that decides whether two steps commute.
 *
 * A location is an object and a key inside it. Objects are learner objects (`o12`), a module
 * instance's captured variables (`v1`), or a port's state (`kv`, `lock`, `rt` for real-time order).
 * The key `*` stands for every key of the object (an iteration, a `clear()`), and the object `*` for
 * every object (a construct the instrumentation cannot see through). Two steps are dependent when
 * they touch a common location and at least one of them writes it (Mazurkiewicz's independence, as
 * DPOR uses it: Flanagan and Godefroid, "Dynamic partial-order reduction for model checking
 * software", POPL 2005).
 */
export const ALL = '*';

interface Access {
  write: boolean;
  /** The microtask rounds of the step's turn in which the location was touched (0 = the step itself). */
  rounds: number[];
}

export class Footprint {
  private readonly objects = new Map<string, Map<string, Access>>();
  private writing = false;
  /** Learner code ran in round 0, the step's own synchronous part (a timer's callback, a caller's start). */
  learnerAtStart = false;

  /** Record an access to `key` of `object` in microtask round `round` of the step's turn. */
  record(object: string, key: string, write: boolean, round: number): void {
    this.writing ||= write;
    let keys = this.objects.get(object);
    if (!keys) {
      keys = new Map();
      this.objects.set(object, keys);
    }
    const access = keys.get(key);
    if (!access) {
      keys.set(key, { write, rounds: [round] });
      return;
    }
    access.write ||= write;
    if (!access.rounds.includes(round)) access.rounds.push(round);
  }

  get empty(): boolean {
    return this.objects.size === 0;
  }

  /** Every location touched, as `object.key`, writes marked with `!` (for tests and debugging). */
  describe(): string[] {
    const out: string[] = [];
    for (const [object, keys] of this.objects) {
      for (const [key, access] of keys) out.push(`${object}.${key}${access.write ? '!' : ''}`);
    }
    return out.sort();
  }

  /**
   * The rounds of this footprint's accesses that conflict with `later`'s: empty when the two steps
   * are independent. A conflict needs a common location and a write on either side.
   */
  conflictRounds(later: Footprint): number[] {
    const rounds = new Set<number>();
    const add = (access: Access) => {
      for (const round of access.rounds) rounds.add(round);
    };
    const everywhere = this.objects.get(ALL)?.get(ALL);
    const laterEverywhere = later.objects.get(ALL)?.get(ALL);
    if (everywhere && !later.empty && (everywhere.write || later.writes())) add(everywhere);
    for (const [object, keys] of this.objects) {
      if (object === ALL) continue;
      for (const access of keys.values()) {
        if (laterEverywhere && (laterEverywhere.write || access.write)) add(access);
      }
      const other = later.objects.get(object);
      if (!other) continue;
      const otherAll = other.get(ALL);
      for (const [key, access] of keys) {
        if (key === ALL) {
          for (const theirs of other.values()) if (access.write || theirs.write) add(access);
          continue;
        }
        const theirs = other.get(key);
        if (theirs && (access.write || theirs.write)) add(access);
        if (otherAll && (access.write || otherAll.write)) add(access);
      }
    }
    return [...rounds].sort((a, b) => a - b);
  }

  /** Whether the two steps are dependent (the fast path of conflictRounds, without the rounds). */
  conflicts(later: Footprint): boolean {
    if (!this.writing && !later.writing) return false;
    if (this.objects.has(ALL) || later.objects.has(ALL)) return this.conflictRounds(later).length > 0;
    const [small, large] = this.objects.size <= later.objects.size ? [this, later] : [later, this];
    for (const [object, keys] of small.objects) {
      const other = large.objects.get(object);
      if (!other) continue;
      const otherAll = other.get(ALL);
      const all = keys.get(ALL);
      for (const [key, access] of keys) {
        if (otherAll && (access.write || otherAll.write)) return true;
        const theirs = key === ALL ? undefined : other.get(key);
        if (theirs && (access.write || theirs.write)) return true;
      }
      if (all) for (const theirs of other.values()) if (all.write || theirs.write) return true;
    }
    return false;
  }

  private writes(): boolean {
    return this.writing;
  }
}
