// Payout references of a programme ↔ positions in the PayoutIndex, for a million references.
//
// Neither a JS Map of a million strings nor the strings themselves: a Map costs ≈1.5 µs a set and
// ≈1 µs a lookup on these machines (hashing each fresh string, a cache miss in a 30 MB table), and
// a million live strings make every major garbage collection mark a million more objects while
// the statement is streamed. Payout references have a structure (src/bank/outgoing/payout-reference.ts):
// "<batch code>-<sequence>", the sequence digits only. So each reference is kept as three numbers —
// which batch code, the sequence, how many digits it was written with — and found through a small
// map of batch codes, each to an array by sequence, the last code used remembered (statement lines
// and database rows come in runs of one batch). A lookup matches only when code, value and width
// are all the same, i.e. exactly the same text ("PB-1" never finds "PB-000001"). References of
// another shape, or that would share a slot, are kept as strings in a plain Map.

export interface ReferenceLookup {
  /** The position of the payout with exactly this reference, or undefined. */
  get(reference: string): number | undefined;
  /** The reference of the payout at this position. */
  referenceOf(position: number): string;
}

const DASH = 45;
const MAX_SEQUENCE_DIGITS = 9;

export class ReferenceIndex implements ReferenceLookup {
  private readonly codes: string[] = [];
  private readonly codeIndex = new Map<string, number>();
  private readonly slots: number[][] = [];
  private codeOf: Int32Array;
  private sequenceOf: Int32Array;
  private widthOf: Uint8Array;
  private readonly others = new Map<string, number>();
  private readonly otherText = new Map<number, string>();
  private lastCode = '';
  private lastCodeIndex = -1;

  constructor(capacity: number) {
    this.codeOf = new Int32Array(capacity);
    this.sequenceOf = new Int32Array(capacity);
    this.widthOf = new Uint8Array(capacity);
  }

  /** Adds `text.slice(start, end)` as the reference of `position` (read in place: no string is made unless the batch code is new). */
  add(position: number, text: string, start = 0, end = text.length): void {
    this.ensure(position);
    const dash = text.lastIndexOf('-', end - 1);
    const width = end - dash - 1;
    const sequence = dash > start ? digitsAt(text, dash + 1, end) : -1;
    if (sequence < 0 || width > MAX_SEQUENCE_DIGITS || text.charCodeAt(dash - 1) === DASH) {
      this.addOther(position, text.slice(start, end));
      return;
    }
    let code: number;
    if (this.lastCodeIndex >= 0 && dash - start === this.lastCode.length && text.startsWith(this.lastCode, start)) code = this.lastCodeIndex;
    else code = this.codeFor(text.slice(start, dash), true);
    const slots = this.slots[code] as number[];
    if (slots[sequence] !== undefined) {
      this.addOther(position, text.slice(start, end));
      return;
    }
    slots[sequence] = position;
    this.codeOf[position] = code;
    this.sequenceOf[position] = sequence;
    this.widthOf[position] = width;
  }

  get(reference: string): number | undefined {
    const end = reference.length;
    const dash = reference.lastIndexOf('-');
    const width = end - dash - 1;
    const sequence = dash > 0 && width <= MAX_SEQUENCE_DIGITS ? digitsAt(reference, dash + 1, end) : -1;
    if (sequence >= 0) {
      const code =
        this.lastCodeIndex >= 0 && dash === this.lastCode.length && reference.startsWith(this.lastCode)
          ? this.lastCodeIndex
          : this.codeFor(reference.slice(0, dash), false);
      if (code >= 0) {
        const position = (this.slots[code] as number[])[sequence];
        if (position !== undefined && this.codeOf[position] === code && this.widthOf[position] === width) return position;
      }
    }
    return this.others.size === 0 ? undefined : this.others.get(reference);
  }

  referenceOf(position: number): string {
    const code = this.codeOf[position] as number;
    if (code < 0) return this.otherText.get(position) as string;
    return `${this.codes[code]}-${String(this.sequenceOf[position]).padStart(this.widthOf[position] as number, '0')}`;
  }

  private addOther(position: number, reference: string): void {
    this.codeOf[position] = -1;
    this.others.set(reference, position);
    this.otherText.set(position, reference);
  }

  private codeFor(code: string, create: boolean): number {
    let index = this.codeIndex.get(code);
    if (index === undefined) {
      if (!create) return -1;
      index = this.codes.length;
      this.codes.push(code);
      this.codeIndex.set(code, index);
      this.slots.push([]);
    }
    this.lastCode = code;
    this.lastCodeIndex = index;
    return index;
  }

  private ensure(position: number): void {
    if (position < this.codeOf.length) return;
    const size = Math.max(position + 1, this.codeOf.length * 2, 16);
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.codeOf = grow(this.codeOf, (n) => new Int32Array(n));
    this.sequenceOf = grow(this.sequenceOf, (n) => new Int32Array(n));
    this.widthOf = grow(this.widthOf, (n) => new Uint8Array(n));
  }
}

/** The decimal digits text[from, to) as a number; −1 when empty or not all digits. */
function digitsAt(text: string, from: number, to: number): number {
  if (to <= from) return -1;
  let n = 0;
  for (let k = from; k < to; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
