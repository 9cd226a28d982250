/** How an event's lines were grouped. */
export type EventKind = 'line' | 'stack' | 'python' | 'go' | 'maven' | 'npm';

/** One log event: a line, or a multi-line group such as a stack trace. */
export interface LogEvent {
  lines: string[];
  /** Byte offset (or line number) of the first line in its source: the document id's basis. */
  offset: number;
  kind: EventKind;
  /** Timestamp given by the source (e.g. the Kubernetes log prefix), if any. */
  timestamp?: string | undefined;
  /** Stack frames taken as bytes (pushFrame): each stands in `lines` as FRAME, in order. */
  frames?: FrameBytes | undefined;
}

/**
 * What stands in an event's lines for a frame kept as bytes. No line of a log can be it where
 * it stands: a continuation line starts with white space, "." or "C".
 */
export const FRAME = '\u0000frame';

/**
 * Java stack frames ("\tat ...", printable ASCII without `"` or `\`) as they go into JSON after
 * the line before them: `\n\t` escaped, the rest as it is. A trace is mostly frames, and as
 * strings each cost a slice, two pattern tests and a write into the batch; as bytes, a run of
 * frames goes into the document in one copy.
 */
export class FrameBytes {
  // Room for a typical trace; a size Buffer takes from its shared pool.
  buf = Buffer.allocUnsafe(2048);
  len = 0;
  /** Where each frame ends in buf. */
  readonly ends: number[] = [];

  /** Appends the frame from `start` (its tab) to `end` of `src`. */
  add(src: Buffer, start: number, end: number): void {
    const need = this.len + end - start + 3;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    const buf = this.buf;
    let p = this.len;
    buf[p++] = 0x5c; // the newline before it, as \n
    buf[p++] = 0x6e;
    buf[p++] = 0x5c; // the tab, as \t
    buf[p++] = 0x74;
    p += src.copy(buf, p, start + 1, end);
    this.len = p;
    this.ends.push(p);
  }

  /** Frame n as the line it was. */
  text(n: number): string {
    const from = n === 0 ? 0 : (this.ends[n - 1] as number);
    return `\t${this.buf.toString('latin1', from + FRAME_PREFIX, this.ends[n])}`;
  }
}
/** Bytes before each frame's text in FrameBytes: `\n\t` escaped. */
const FRAME_PREFIX = 4;

/** The event's lines with its byte frames as text again (for the paths that need them as text). */
export function eventLines(e: LogEvent): string[] {
  const frames = e.frames;
  if (frames === undefined) return e.lines;
  let n = 0;
  return e.lines.map((l) => (l === FRAME ? frames.text(n++) : l));
}

/** A group is cut at this many lines, so memory stays bounded on pathological input. */
export const MAX_EVENT_LINES = 1000;

// Continuation lines of Java and Node stack traces.
const STACK_CONT = /^\s+at\s|^\s*\.\.\. \d+ (more|common frames omitted)|^Caused by: |^\s+Suppressed: /;
// Lines of a Go panic after its first line: goroutine headers, frames, file lines, exit status.
const GO_CONT = /^$|^goroutine \d+ \[|^\t|^[\w./*()[\]{}-]+\(.*\)$|^exit status \d+|^\[signal |^created by |^panic: |^\s+panic: /;
const PY_END = /^[A-Za-z_][\w.]*(: |:$|$)/;

/**
 * Groups lines into events: Java/Node stack traces, Python tracebacks, Go panics,
 * Maven [ERROR] blocks and npm ERR! blocks become one event each; other lines stay single.
 * Streams: holds at most one pending event.
 */
export class Grouper {
  private pending: LogEvent | undefined;

  constructor(private readonly onEvent: (e: LogEvent) => void) {}

  /** Feeds one line. */
  push(text: string, offset: number, timestamp?: string): void {
    const p = this.pending;
    if (p && p.lines.length < MAX_EVENT_LINES && this.continues(p, text)) {
      p.lines.push(text);
      if (p.kind === 'python' && text.length > 0 && text.charCodeAt(0) !== 32 && text.charCodeAt(0) !== 9) this.flush();
      return;
    }
    if (p) this.flush();
    this.pending = { lines: [text], offset, kind: startKind(text), timestamp };
  }

  /**
   * Adds a Java stack frame ("\tat ...", checked by plain-line.ts scanFrameLine) to the open
   * event as bytes, where push() of its text would have added it; false when that event would
   * not take it (push() then decides).
   */
  pushFrame(src: Buffer, start: number, end: number): boolean {
    const p = this.pending;
    if (p === undefined || (p.kind !== 'stack' && p.kind !== 'line') || p.lines.length >= MAX_EVENT_LINES) return false;
    p.kind = 'stack';
    p.lines.push(FRAME);
    (p.frames ??= new FrameBytes()).add(src, start, end);
    return true;
  }

  /** The kind of the event still open to more lines, if any. */
  get pendingKind(): EventKind | undefined {
    return this.pending?.kind;
  }

  /** Emits the pending event (end of input, or the flush timer on a quiet stream). */
  flush(): void {
    const p = this.pending;
    this.pending = undefined;
    if (p) this.onEvent(p);
  }

  private continues(p: LogEvent, text: string): boolean {
    const c = text.charCodeAt(0);
    switch (p.kind) {
      case 'maven':
        return text.startsWith('[ERROR]');
      case 'npm':
        return text.startsWith('npm ERR!') || text.startsWith('npm error');
      case 'python':
        if (c === 32 || c === 9) return true;
        return p.lines.length > 1 && PY_END.test(text);
      case 'go':
        return GO_CONT.test(text);
      case 'stack':
      case 'line':
        // Cheap first-character test before the regex: most lines start with neither.
        if ((c === 32 || c === 9 || c === 46 || c === 67) && STACK_CONT.test(text)) {
          p.kind = 'stack';
          return true;
        }
        return false;
    }
  }
}

function startKind(text: string): EventKind {
  switch (text.charCodeAt(0)) {
    case 84: // T
      return text.startsWith('Traceback (most recent call last):') ? 'python' : 'line';
    case 112: // p
      return text.startsWith('panic: ') ? 'go' : 'line';
    case 102: // f
      return text.startsWith('fatal error: ') ? 'go' : 'line';
    case 91: // [
      return text.startsWith('[ERROR]') ? 'maven' : 'line';
    case 110: // n
      return text.startsWith('npm ERR!') || text.startsWith('npm error') ? 'npm' : 'line';
    default:
      return 'line';
  }
}
