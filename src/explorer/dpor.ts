import type { Footprint } from './footprint.js';
import { type Alternative, type Chooser, firstWaitingTwin, type Run } from './run.js';
import { type Label, labelKey, labelTask, labelTasks, plain } from './scenario.js';

interface Explored {
  label: Label;
  footprint: Footprint;
}

/** One node of the search tree: the state after a prefix of choices. */
interface Node {
  alternatives: Alternative[];
  waiting: number[];
  turn: number;
  chosen: Label;
  footprint: Footprint;
  /** Choices explored equivalently elsewhere: taking them again adds nothing. */
  sleep: Map<string, Explored>;
  /** Choices already explored from this node. */
  done: Map<string, Explored>;
  /** Choices still to explore from this node. */
  backtrack: Map<string, Label>;
}

/** A choice and a step commute: different tasks, and no location one writes and the other touches. */
function independent(sleeping: Explored, label: Label, footprint: Footprint): boolean {
  const tasks = labelTasks(label);
  if (labelTasks(sleeping.label).some((t) => tasks.includes(t))) return false;
  return !sleeping.footprint.conflicts(footprint);
}

/**
 * Source-set DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas, "Optimal dynamic partial
 * order reduction", POPL 2014, Algorithm 1): run a schedule, find its reversible races — two
 * dependent steps of different tasks with nothing between them that orders them — and make sure
 * the search also tries a schedule where the later one's initial steps come first. Steps whose
 * footprints do not conflict are never reordered, so schedules differing only in the order of
 * independent steps (different keys, different rows) run once.
 *
 * Two refinements for JavaScript: a newcomer may arrive inside another step's turn, a few microtask
 * hops after it (a race with a round ≥ 1 of that turn adds that variant), and every fallible
 * operation is also tried failing.
 */
export async function dpor(
  maxSchedules: number,
  attempt: (choose: Chooser) => Promise<Run>,
): Promise<{ found: Run | null; complete: boolean; interleavings: number }> {
  let interleavings = 0;
  const nodes: Node[] = [];
  // Each fallible operation fails once for every set of callers still to arrive when it runs.
  const failed = new Set<string>();
  let prefix: Label[] = [];
  let branchSleep = new Map<string, Explored>();
  for (let runs = 0; ; runs++) {
    if (runs >= maxSchedules) return { found: null, complete: false, interleavings };
    const depth = prefix.length;
    // The sleep set of each step beyond the prefix, computed as the run goes.
    const sleeps: Map<string, Explored>[] = [];
    let sleep = branchSleep;
    const choose: Chooser = (step, available, fallback, run) => {
      if (step < depth) return prefix[step]!;
      if (step > 0 && step - 1 >= depth - 1) {
        const last = run.labels[step - 1]!;
        const footprint = run.footprints[step - 1]!;
        const from = step - 1 === depth - 1 ? branchSleep : sleep;
        sleep = new Map();
        for (const [key, sleeping] of from)
          if (independent(sleeping, last, footprint)) sleep.set(key, sleeping);
      }
      sleeps[step] = sleep;
      const awake = available.filter((alt) => !sleep.has(labelKey(alt.label)));
      if (awake.length === 0) return null;
      return awake.some((alt) => labelKey(alt.label) === labelKey(fallback)) ? fallback : awake[0]!.label;
    };
    const run = await attempt(choose);
    if (run.failure && !run.abandoned) return { found: run, complete: false, interleavings };
    if (!run.abandoned) interleavings++;

    // Nodes below the branch point are this run's.
    nodes.length = Math.min(nodes.length, depth);
    if (depth > 0) {
      const node = nodes[depth - 1]!;
      node.footprint = run.footprints[depth - 1]!;
      node.turn = run.turns[depth - 1]!;
    }
    for (let step = depth; step < run.labels.length; step++) {
      nodes.push({
        alternatives: run.alternatives[step]!,
        waiting: run.waiting[step]!,
        turn: run.turns[step]!,
        chosen: run.labels[step]!,
        footprint: run.footprints[step]!,
        sleep: sleeps[step] ?? new Map(),
        done: new Map(),
        backtrack: new Map([[labelKey(run.labels[step]!), run.labels[step]!]]),
      });
    }
    addBacktracks(nodes, run, failed);

    // Backtrack to the deepest node with a choice left to explore.
    let next: { depth: number; label: Label } | null = null;
    for (let i = nodes.length - 1; i >= 0 && !next; i--) {
      const node = nodes[i]!;
      node.done.set(labelKey(node.chosen), { label: node.chosen, footprint: node.footprint });
      for (const [key, label] of node.backtrack) {
        if (node.done.has(key) || node.sleep.has(key)) continue;
        next = { depth: i, label };
        break;
      }
    }
    if (!next) return { found: null, complete: true, interleavings };
    const node = nodes[next.depth]!;
    node.chosen = next.label;
    nodes.length = next.depth + 1;
    prefix = [...nodes.map((n) => n.chosen)];
    branchSleep = new Map([...node.sleep, ...node.done]);
  }
}

/** A set of step indexes, one bit each. */
class Steps {
  private readonly words: Uint32Array;
  constructor(size: number) {
    this.words = new Uint32Array((size + 31) >>> 5);
  }
  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  addAll(other: Steps): void {
    for (let w = 0; w < other.words.length; w++) this.words[w]! |= other.words[w]!;
  }
}

/** Add to the search what the races of `run` and its fallible operations ask for. */
function addBacktracks(nodes: Node[], run: Run, failed: Set<string>): void {
  const n = run.labels.length;
  const tasks = run.labels.map(labelTasks);
  // Interchangeable callers arrive in index order (Run.twinBefore): that order is the program's,
  // like the order of one task's own steps.
  const arrivals = run.labels.map((label) => ('a' in label ? label.a : label.n));
  const twinsArrive = (i: number, j: number) => {
    const first = arrivals[i];
    for (let task = arrivals[j]; task !== undefined; task = run.twinBefore[task]) {
      if (task === first) return true;
    }
    return false;
  };
  const sameTask = (i: number, j: number) => tasks[i]!.some((t) => tasks[j]!.includes(t));
  const ordered = (i: number, j: number) =>
    sameTask(i, j) || (run.twinBefore.length > 0 && twinsArrive(i, j));
  // reach[j]: the steps that happen before step j (program order and dependence, transitively).
  const reach: Steps[] = [];
  const preds: number[][] = [];
  for (let j = 0; j < n; j++) {
    const before = new Steps(n);
    const direct: number[] = [];
    for (let i = 0; i < j; i++) {
      if (ordered(i, j) || run.footprints[i]!.conflicts(run.footprints[j]!)) {
        direct.push(i);
        before.add(i);
        before.addAll(reach[i]!);
      }
    }
    reach.push(before);
    preds.push(direct);
  }
  for (let j = 0; j < n; j++) {
    for (const i of preds[j]!) {
      if (sameTask(i, j)) continue;
      // Two alike callers arrive in index order only; the later may still arrive inside the
      // earlier's turn (as Promise.all starts them), so only that variant is added.
      const twinsOnly = ordered(i, j);
      // Ordered through another step already: not a race of its own.
      if (preds[j]!.some((k) => k !== i && reach[k]!.has(i))) continue;
      reverse(nodes[i]!, i, j, run, reach, twinsOnly);
    }
    // Every fallible operation is also tried failing, where failures are left: once for each set
    // of callers yet to arrive (which callers wait behind a failure decides what it breaks).
    const label = run.labels[j]!;
    const node = nodes[j];
    if (node && !('a' in label) && !label.f) {
      const failing = node.alternatives.find(
        (alt) => !('a' in alt.label) && alt.label.t === label.t && alt.label.o === label.o && alt.label.f,
      );
      const where = `${labelKey(failing?.label ?? label)}|${node.waiting.join(',')}`;
      if (failing && !failed.has(where)) {
        failed.add(where);
        node.backtrack.set(labelKey(failing.label), failing.label);
      }
    }
  }
}

/** Race (i, j): make sure some schedule runs the initial steps of what leads to j before step i. */
function reverse(node: Node, i: number, j: number, run: Run, reach: Steps[], newcomerOnly: boolean): void {
  const v: number[] = [];
  for (let k = i + 1; k < j; k++) if (!reach[k]!.has(i)) v.push(k);
  v.push(j);
  const initials = v.filter((k) => !v.some((other) => other < k && reach[k]!.has(other)));
  const available = new Map(node.alternatives.map((alt) => [labelKey(alt.label), alt.label]));
  const candidates = initials
    .map((k) => plain(run.labels[k]!))
    .filter((label) => available.has(labelKey(label)));
  const covered = (label: Label) => node.backtrack.has(labelKey(label)) || node.done.has(labelKey(label));
  if (newcomerOnly) {
    // j cannot run before i: only the newcomer variant below.
  } else if (candidates.length === 0) {
    for (const [key, label] of available) node.backtrack.set(key, label);
  } else if (!candidates.some(covered)) {
    node.backtrack.set(labelKey(candidates[0]!), candidates[0]!);
  }
  // A newcomer racing with a later round of step i's turn may also slip into it.
  const later = run.labels[j]!;
  const laterArrival = 'a' in later ? later.a : later.n;
  if (laterArrival === undefined) return;
  // Of interchangeable callers, the first still waiting after step i's own arrival arrives there.
  const arrivesAtI = 'a' in node.chosen ? node.chosen.a : undefined;
  const arriving = firstWaitingTwin(
    run,
    laterArrival,
    node.waiting.filter((task) => task !== arrivesAtI),
  );
  if (!node.waiting.includes(arriving) || labelTask(node.chosen) === arriving) return;
  const rounds = run.footprints[i]!.conflictRounds(run.footprints[j]!);
  const base = plain(node.chosen);
  // Arriving at hop h puts the newcomer at the end of round h: just before round h + 1. Right
  // after a release whose effect no learner code has seen yet (h = 0), arriving is the same as
  // arriving before it, which the search tries anyway.
  const synchronous = 'a' in node.chosen || node.footprint.learnerAtStart;
  for (const round of rounds) {
    if (round < 1 || (round === 1 && !synchronous)) continue;
    const variant: Label = { ...base, n: arriving, h: round - 1 };
    if (!covered(variant)) node.backtrack.set(labelKey(variant), variant);
  }
}
