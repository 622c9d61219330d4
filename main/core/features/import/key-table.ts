// Key → pair seq for tens of millions of indexed pairs, without a JS Map of strings (40M
// string keys in a Map take several GB). Each key is reduced to a 64-bit hash and kept in
// an open-addressing table of typed arrays: 12 bytes a slot at load ≤ 0.7, so 40M keys take
// ~690 MB and 3M take ~51 MB. Strings are never stored.
//
// Exactness: two different keys agree on all 64 bits with probability ~n²/2^65 over the
// whole index (4·10⁻⁵ at 40M), and a foreign key hits an indexed one with probability
// ~n·m/2^64 (10⁻⁴ for 40M × 40M); either would count as one wrong match. Accepted: the
// alternative (keeping or re-reading the strings to confirm) costs GBs or a second pass.
export const EMPTY = -1;

let h1 = 0;
let h2 = 0;

/** 64-bit hash of a string's UTF-16 code units (two 32-bit multiply-xor lanes, cyrb53-style), into h1, h2. */
function hashKey(s: string): void {
  let a = 0xdeadbeef ^ s.length;
  let b = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  h1 = a >>> 0;
  h2 = b >>> 0;
}

export class KeyTable {
  readonly capacity: number;
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  /** seq of the slot's first pair; EMPTY; or −(seq + 2) once a source row claimed it. */
  private readonly seq: Int32Array;
  /** Further pairs with the same key (a uid or URL that repeats in the index): slot → seqs. */
  private readonly extra = new Map<number, number[]>();
  /** Distinct keys inserted. */
  size = 0;
  /** Inserts whose key was already present (their seq went to `extra`). */
  repeatedKeys = 0;

  constructor(expectedKeys: number) {
    this.capacity = Math.max(16, Math.ceil(expectedKeys / 0.7));
    this.hi = new Uint32Array(this.capacity);
    this.lo = new Uint32Array(this.capacity);
    this.seq = new Int32Array(this.capacity).fill(EMPTY);
  }

  get bytes(): number {
    return this.capacity * 12;
  }

  /** The slot holding `key`'s hash, or the empty slot where it would go (negative: −slot − 1). */
  private probe(key: string): number {
    hashKey(key);
    const cap = this.capacity;
    let i = Math.floor((h2 / 4294967296) * cap);
    for (;;) {
      if (this.seq[i] === EMPTY) return -i - 1;
      if (this.lo[i] === h2 && this.hi[i] === h1) return i;
      if (++i === cap) i = 0;
    }
  }

  insert(key: string, seq: number): void {
    const p = this.probe(key);
    if (p >= 0) {
      const more = this.extra.get(p);
      if (more) more.push(seq);
      else this.extra.set(p, [seq]);
      this.repeatedKeys++;
      return;
    }
    if (this.size + 1 > this.capacity * 0.9) throw new Error(`key table over capacity (${this.capacity})`);
    const i = -p - 1;
    this.hi[i] = h1;
    this.lo[i] = h2;
    this.seq[i] = seq;
    this.size++;
  }

  /** The slot of `key`, or −1. */
  find(key: string): number {
    const p = this.probe(key);
    return p >= 0 ? p : -1;
  }

  /** The first pair seq of a slot. */
  seqAt(slot: number): number {
    const s = this.seq[slot]!;
    return s >= 0 ? s : -s - 2;
  }

  /** Further seqs sharing the slot's key, if any. */
  extraAt(slot: number): readonly number[] | undefined {
    return this.extra.get(slot);
  }

  /** Marks the slot taken by a source row; false when an earlier row took it. */
  claim(slot: number): boolean {
    const s = this.seq[slot]!;
    if (s < EMPTY) return false;
    this.seq[slot] = -s - 2;
    return true;
  }
}
