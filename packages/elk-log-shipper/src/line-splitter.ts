import { isAscii } from 'node:buffer';

const NL = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
/** A line longer than this is cut, so one runaway line cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Splits a byte stream into lines, keeping each line's byte offset (the basis of the
 * deterministic document ids). Works on Buffers, never on the whole file. A chunk can be split
 * in steps (feed, then drain until it returns true), so the consumer can stop to ship a full
 * batch in the middle of a chunk instead of holding all of its documents.
 */
export class LineSplitter {
  private carry: Buffer | undefined;
  private offset = 0;
  /** The chunk being drained, its offset in the stream, and where draining stands. */
  private buf: Buffer = EMPTY;
  private base = 0;
  private pos = 0;
  /** The chunk up to its last newline as one string, when it is ASCII. */
  private text: string | undefined;
  private draining = false;

  constructor(private readonly onLine: (text: string, offset: number) => void) {}

  /** Feeds a chunk and splits all of it. */
  push(chunk: Buffer): void {
    this.feed(chunk);
    this.drain();
  }

  /** Takes the next chunk; drain() emits its lines. */
  feed(chunk: Buffer): void {
    if (this.draining) throw new Error('LineSplitter: feed() before the previous chunk was drained');
    let buf = chunk;
    let base = this.offset;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      base -= this.carry.length;
      this.carry = undefined;
    }
    this.buf = buf;
    this.base = base;
    this.pos = 0;
    this.offset = base + buf.length;
    this.draining = true;
    const last = buf.lastIndexOf(NL);
    // Build logs are nearly all ASCII: one decode per chunk and string slices per line cost
    // a fraction of a decode per line, and character offsets equal byte offsets here.
    this.text = last >= 0 && isAscii(buf.subarray(0, last)) ? buf.toString('latin1', 0, last + 1) : undefined;
  }

  /**
   * Emits the lines of the fed chunk. Returns true when the chunk is done, false when pause()
   * asked to stop first (call drain again to go on).
   */
  drain(pause?: () => boolean): boolean {
    if (!this.draining) return true;
    const { buf, base, text } = this;
    let start = this.pos;
    if (text !== undefined) {
      for (;;) {
        if (pause?.()) return this.stop(start);
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        const stop = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.onLine(text.slice(start, stop), base + start);
        start = nl + 1;
      }
    } else {
      for (;;) {
        if (pause?.()) return this.stop(start);
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        this.emit(buf, start, nl, base);
        start = nl + 1;
      }
    }
    this.draining = false;
    this.buf = EMPTY;
    this.text = undefined;
    if (start < buf.length) {
      if (buf.length - start > MAX_LINE_BYTES) {
        this.emit(buf, start, buf.length, base);
      } else {
        // A copy, so the carried bytes do not pin the whole chunk they came in.
        this.carry = Buffer.from(buf.subarray(start));
      }
    }
    return true;
  }

  /** Emits the last line when the input did not end with a newline. */
  end(): void {
    this.drain();
    if (this.carry && this.carry.length > 0) {
      this.emit(this.carry, 0, this.carry.length, this.offset - this.carry.length);
    }
    this.carry = undefined;
  }

  private stop(at: number): false {
    this.pos = at;
    return false;
  }

  private emit(buf: Buffer, start: number, end: number, base: number): void {
    const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    this.onLine(buf.toString('utf8', start, stop), base + start);
  }
}
