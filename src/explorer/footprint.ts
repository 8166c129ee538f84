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
  object: string;
  key: string;
  write: boolean;
  /** The microtask rounds of the step's turn in which the location was touched (0 = the step itself). */
  rounds: number[];
}

/** Two accesses conflict when at least one of them writes. */
const clash = (x: Access, y: Access) => x.write || y.write;

export class Footprint {
  /** Every location touched, by `object` + NUL + `key`: one flat map, cheap to build once per step. */
  private readonly accesses = new Map<string, Access>();
  /** The accesses to every key of an object (`key` = `*`), by object. */
  private readonly wholeObjects = new Map<string, Access>();
  /** An access to every object (`*.*`), if any. */
  private everything: Access | undefined;
  private writing = false;
  /** Learner code ran in round 0, the step's own synchronous part (a timer's callback, a caller's start). */
  learnerAtStart = false;

  /** Record an access to `key` of `object` in microtask round `round` of the step's turn. */
  record(object: string, key: string, write: boolean, round: number): void {
    this.writing ||= write;
    const id = `${object}\u0000${key}`;
    const access = this.accesses.get(id);
    if (!access) {
      const added = { object, key, write, rounds: [round] };
      this.accesses.set(id, added);
      if (key === ALL) {
        if (object === ALL) this.everything = added;
        else this.wholeObjects.set(object, added);
      }
      return;
    }
    access.write ||= write;
    if (!access.rounds.includes(round)) access.rounds.push(round);
  }

  get empty(): boolean {
    return this.accesses.size === 0;
  }

  /** Every location touched, as `object.key`, writes marked with `!` (for tests and debugging). */
  describe(): string[] {
    const out: string[] = [];
    for (const access of this.accesses.values()) {
      out.push(`${access.object}.${access.key}${access.write ? '!' : ''}`);
    }
    return out.sort();
  }

  /** The accesses of `later` that `mine` meets: the same location, its whole object, or everything. */
  private meets(mine: Access, later: Footprint, met: (theirs: Access) => void): void {
    if (later.everything) met(later.everything);
    if (mine.object === ALL) {
      for (const theirs of later.accesses.values()) if (theirs !== later.everything) met(theirs);
      return;
    }
    if (mine.key === ALL) {
      for (const theirs of later.accesses.values()) {
        if (theirs.object === mine.object && theirs !== later.everything) met(theirs);
      }
      return;
    }
    const same = later.accesses.get(`${mine.object}\u0000${mine.key}`);
    if (same) met(same);
    const whole = later.wholeObjects.get(mine.object);
    if (whole) met(whole);
  }

  /**
   * The rounds of this footprint's accesses that conflict with `later`'s: empty when the two steps
   * are independent. A conflict needs a common location and a write on either side.
   */
  conflictRounds(later: Footprint): number[] {
    const rounds = new Set<number>();
    for (const mine of this.accesses.values()) {
      let conflicting = false;
      this.meets(mine, later, (theirs) => {
        conflicting ||= clash(mine, theirs);
      });
      if (conflicting) for (const round of mine.rounds) rounds.add(round);
    }
    return [...rounds].sort((a, b) => a - b);
  }

  /** Whether the two steps are dependent (the fast path of conflictRounds, without the rounds). */
  conflicts(later: Footprint): boolean {
    if (!this.writing && !later.writing) return false;
    if (this.everything || later.everything) return this.conflictRounds(later).length > 0;
    const small = this.accesses.size <= later.accesses.size ? this : later;
    const large = small === this ? later : this;
    for (const mine of small.accesses.values()) {
      if (mine.key === ALL) {
        for (const theirs of large.accesses.values()) {
          if (theirs.object === mine.object && clash(mine, theirs)) return true;
        }
        continue;
      }
      const same = large.accesses.get(`${mine.object}\u0000${mine.key}`);
      if (same && clash(mine, same)) return true;
      const whole = large.wholeObjects.get(mine.object);
      if (whole && clash(mine, whole)) return true;
    }
    return false;
  }
}
