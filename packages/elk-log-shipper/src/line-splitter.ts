/** One line of a log and the byte offset where it starts in its source. */
export interface Line {
  text: string;
  offset: number;
}

import { isAscii } from 'node:buffer';

const NL = 0x0a;
const CR = 0x0d;
/** A line longer than this is cut, so one runaway line cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Splits a byte stream into lines, keeping each line's byte offset (the basis of the
 * deterministic document ids). Works on Buffers, never on the whole file.
 */
export class LineSplitter {
  private carry: Buffer | undefined;
  private offset = 0;

  constructor(private readonly onLine: (text: string, offset: number) => void) {}

  /** Feeds a chunk; calls onLine for every complete line in it. */
  push(chunk: Buffer): void {
    let buf = chunk;
    let base = this.offset;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      base -= this.carry.length;
      this.carry = undefined;
    }
    let start = 0;
    const last = buf.lastIndexOf(NL);
    if (last >= 0 && isAscii(buf.subarray(0, last))) {
      // Build logs are nearly all ASCII: one decode per chunk and string slices per line cost
      // a fraction of a decode per line, and character offsets equal byte offsets here.
      const text = buf.toString('latin1', 0, last + 1);
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        const stop = nl > start && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
        this.onLine(text.slice(start, stop), base + start);
        start = nl + 1;
      }
    } else {
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl < 0) break;
        this.emit(buf, start, nl, base);
        start = nl + 1;
      }
    }
    this.offset = base + buf.length;
    if (start < buf.length) {
      if (buf.length - start > MAX_LINE_BYTES) {
        this.emit(buf, start, buf.length, base);
      } else {
        this.carry = buf.subarray(start);
        // A copy, so the carried bytes do not pin the whole chunk they came in.
        this.carry = Buffer.from(this.carry);
      }
    }
  }

  /** Emits the last line when the input did not end with a newline. */
  end(): void {
    if (this.carry && this.carry.length > 0) {
      this.emit(this.carry, 0, this.carry.length, this.offset - this.carry.length);
    }
    this.carry = undefined;
  }

  private emit(buf: Buffer, start: number, end: number, base: number): void {
    const stop = end > start && buf[end - 1] === CR ? end - 1 : end;
    this.onLine(buf.toString('utf8', start, stop), base + start);
  }
}
