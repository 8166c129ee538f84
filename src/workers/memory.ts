import { type ArrayLayout, ELEMENT_TYPES, Kind } from './protocol.js';

/** A named Int32Array a check hands to the learner's functions (`counts`, `bank`, `nodes`). */
export interface SharedArraySpec {
  name: string;
  /** Number of Int32 elements. */
  length: number;
}

type Typed = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array;

const CONSTRUCTORS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

/**
 * The shared memory of one check: its named Int32 arrays laid out in one SharedArrayBuffer that
 * every worker maps. The main thread makes the controlled accesses here (perform), and names them
 * the way the learner's code reads ("counts[0]", "Atomics.add(counts, 0, 1)").
 */
export class SharedMemory {
  readonly buffer: SharedArrayBuffer;
  readonly layout: ArrayLayout[];
  private readonly views = new Map<string, ArrayLike<number | bigint>>();

  constructor(specs: readonly SharedArraySpec[]) {
    let offset = 0;
    this.layout = specs.map((spec) => {
      const array = { name: spec.name, byteOffset: offset, length: spec.length };
      // 8-byte aligned, so that a learner's BigInt64Array over an array is possible.
      offset += Math.ceil((spec.length * 4) / 8) * 8;
      return array;
    });
    this.buffer = new SharedArrayBuffer(Math.max(8, offset));
  }

  /** The main thread's view of a named array. Throws when the check names an array it did not declare. */
  array(name: string): Int32Array {
    const a = this.layout.find((l) => l.name === name);
    if (!a) throw new Error(`no shared array '${name}'`);
    return new Int32Array(this.buffer, a.byteOffset, a.length);
  }

  /** Every word back to 0, then the given arrays' first elements set. */
  reset(initial: Readonly<Record<string, readonly number[]>>): void {
    new Int32Array(this.buffer).fill(0);
    for (const [name, values] of Object.entries(initial)) this.array(name).set(values);
  }

  private view(type: number): ArrayLike<number | bigint> & Record<number, number | bigint> {
    const name = ELEMENT_TYPES[type] ?? 'Int32Array';
    let view = this.views.get(name);
    if (!view) {
      view = new (CONSTRUCTORS[name] as unknown as new (b: SharedArrayBuffer) => ArrayLike<number>)(
        this.buffer,
      );
      this.views.set(name, view);
    }
    return view as ArrayLike<number | bigint> & Record<number, number | bigint>;
  }

  private size(type: number): number {
    return CONSTRUCTORS[ELEMENT_TYPES[type] ?? 'Int32Array'].BYTES_PER_ELEMENT;
  }

  /** The value at byte `offset` as element type `type` (for the checks and the timeline). */
  read(offset: number, type: number): number | bigint {
    return this.view(type)[offset / this.size(type)]!;
  }

  /**
   * Make one access as the worker asked for it, answering what the learner's expression evaluates
   * to: the value read, the value written, or the old value of a read-modify-write.
   */
  perform(
    kind: number,
    offset: number,
    type: number,
    a: number | bigint,
    b: number | bigint,
  ): number | bigint {
    const view = this.view(type);
    const i = offset / this.size(type);
    const atomic = view as unknown as Typed;
    switch (kind) {
      case Kind.READ:
        return view[i]!;
      case Kind.WRITE:
        view[i] = a;
        return view[i]!;
      case Kind.LOAD:
        return Atomics.load(atomic as Int32Array, i);
      case Kind.STORE:
        return Atomics.store(atomic as Int32Array, i, a as number);
      case Kind.ADD:
        return Atomics.add(atomic as Int32Array, i, a as number);
      case Kind.SUB:
        return Atomics.sub(atomic as Int32Array, i, a as number);
      case Kind.AND:
        return Atomics.and(atomic as Int32Array, i, a as number);
      case Kind.OR:
        return Atomics.or(atomic as Int32Array, i, a as number);
      case Kind.XOR:
        return Atomics.xor(atomic as Int32Array, i, a as number);
      case Kind.EXCHANGE:
        return Atomics.exchange(atomic as Int32Array, i, a as number);
      case Kind.COMPARE_EXCHANGE:
        return Atomics.compareExchange(atomic as Int32Array, i, a as number, b as number);
      default:
        throw new Error(`not an access to perform: ${kind}`);
    }
  }

  /**
   * How the learner's code names the element at byte `offset`: "counts[3]" for the check's own
   * Int32 views, "BigInt64Array over nodes[1]" for a view the learner made over the same memory.
   */
  element(offset: number, type: number): string {
    const array = this.arrayAt(offset);
    if (!array) return `byte ${offset} of the shared memory`;
    const typeName = ELEMENT_TYPES[type] ?? 'Int32Array';
    const index = (offset - array.byteOffset) / this.size(type);
    return typeName === 'Int32Array' ? `${array.name}[${index}]` : `${typeName} over ${array.name}[${index}]`;
  }

  /** The array as an argument reads: "counts", or "BigInt64Array over nodes". */
  arrayName(offset: number, type: number): string {
    const array = this.arrayAt(offset);
    const typeName = ELEMENT_TYPES[type] ?? 'Int32Array';
    const name = array?.name ?? 'shared memory';
    return typeName === 'Int32Array' ? name : `${typeName} over ${name}`;
  }

  /** The index an Atomics call gave, in its array's own elements. */
  index(offset: number, type: number): number {
    const array = this.arrayAt(offset);
    return (offset - (array?.byteOffset ?? 0)) / this.size(type);
  }

  /** The 4-byte words an access of `type` at `offset` covers: the footprint keys of the reduction. */
  words(offset: number, type: number): number[] {
    const size = this.size(type);
    const first = Math.floor(offset / 4);
    const last = Math.floor((offset + size - 1) / 4);
    return last === first ? [first] : [first, last];
  }

  private arrayAt(offset: number): ArrayLayout | undefined {
    return this.layout.find((a) => offset >= a.byteOffset && offset < a.byteOffset + a.length * 4);
  }
}
