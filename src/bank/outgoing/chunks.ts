// Gathers the small strings a writer produces (one element, one CSV row) into chunks of about
// `targetChars` characters and encodes each chunk once. One Buffer per row would cost more in
// allocation than the writing itself; one per 64 Ki characters keeps memory flat and I/O efficient.

export const DEFAULT_CHUNK_CHARS = 64 * 1024;

export class ChunkBuffer {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly encode: (text: string) => Uint8Array,
    private readonly targetChars: number = DEFAULT_CHUNK_CHARS,
  ) {
    if (!Number.isInteger(targetChars) || targetChars < 1) throw new RangeError(`chunk size ${targetChars} must be a positive integer`);
  }

  push(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** True once enough text is gathered for a chunk. */
  get full(): boolean {
    return this.size >= this.targetChars;
  }

  /** The gathered text, encoded, and an empty buffer; undefined when nothing was gathered. */
  take(): Uint8Array | undefined {
    if (this.size === 0) return undefined;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return this.encode(text);
  }
}

export const encodeUtf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
