import type { Level } from './classify.ts';

/**
 * The plain-line test on bytes. Most lines of a build log ("[INFO] ...", "<timestamp> INFO ...")
 * become a document that is the line itself, its offset and its time; for them, decoding a
 * string, grouping, levelling and encoding cost about four times what copying their bytes costs.
 * A line passes only when the string path would give it a plain document of level "info" or
 * "warn" for certain; anything else (a marker, a quote, a non-ASCII byte, the start of a group, a
 * line that a group may continue) is left to the string path. plain-line.test.ts checks the two
 * paths agree.
 */

const NL = 0x0a;
/** Bytes JSON must escape, and non-ASCII: a line with one is left to the string path. */
const SPECIAL = new Uint8Array(256);
for (let b = 0; b < 256; b++) if (b < 0x20 || b === 0x22 || b === 0x5c || b >= 0x7f) SPECIAL[b] = 1;

/** The ASCII literals of classify.ts LEVEL_WORD: markerAt finds them, the tables below start them. */
const MARKERS = ['ERR', 'FATAL', 'FAIL', 'SEVERE', 'CRITICAL', 'PANIC', 'error', 'fatal', 'not ok', 'WARN', 'warn', 'DEBUG', 'TRACE', 'debug', 'trace'];

/** In a line's head: 1 for the bytes of SPECIAL, 2 for the first letters of the level markers. */
const HEAD_CLASS = SPECIAL.slice();
for (const m of MARKERS) HEAD_CLASS[m.charCodeAt(0)] = 2;

/**
 * First bytes of lines left to the string path: a space, tab, "." or "C" may continue a stack
 * trace, "T" may start a Python traceback, "p" and "f" a Go panic, "n" an npm block, "{" a JSON line.
 */
const FIRST_REJECT = new Uint8Array(256);
for (const c of ' \t.CTpfn{') FIRST_REJECT[c.charCodeAt(0)] = 1;
FIRST_REJECT[NL] = 1;

/** What classify.ts lineLevel reads from the first this many characters. */
const HEAD = 120;
const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const INFO = bytes('[INFO] ');
const WARNING = bytes('[WARNING] ');
const WARN = bytes('[WARN] ');

/** What scanPlainLine found out about a line it took. */
export interface PlainLine {
  level: Level;
  /** The line starts with a canonical timestamp (`YYYY-MM-DDTHH:MM:SS.mmmZ`), its first 24 bytes. */
  timed: boolean;
}

/**
 * Where the line at `start` ends (its newline) when it is a plain line, else -1. The line must
 * end before `limit`, and the start of the next line must be there too: a line that the next one
 * may continue is not plain. With `kube`, lines carry the Kubernetes timestamp prefix, and
 * `start` is where this line's text begins after it.
 */
export function scanPlainLine(buf: Uint8Array, start: number, limit: number, out: PlainLine, kube = false): number {
  const first = buf[start] as number;
  if (FIRST_REJECT[first] === 1) return -1;
  let i = start;
  out.level = 'info';
  if (first === 0x5b /* [ */ && startsWith(buf, start, INFO)) {
    // The Maven markers decide the level whatever follows (as lineLevel does).
  } else if (first === 0x5b && (startsWith(buf, start, WARNING) || startsWith(buf, start, WARN))) {
    out.level = 'warn';
  } else {
    if ((first === 0x45 || first === 0x57) && ((buf[start + 1] as number) - 0x30) >>> 0 <= 9) return -1; // glog "E0123", "W0123"
    // The head is where the level markers count (each whole within it).
    i = scanHead(buf, start, Math.min(start + HEAD, limit));
    if (i < 0) return -1;
  }
  // The rest: only bytes JSON must escape matter.
  if (i >= limit) return -1;
  if (buf[i] !== NL) {
    i = specialAt(buf, i, limit);
    if (i >= limit || buf[i] !== NL) return -1;
  }
  if (mayContinue(buf, i + 1, kube)) return -1;
  out.timed = false;
  if (i - start >= 20 && buf[start + 4] === 0x2d && buf[start + 10] === 0x54) {
    // It starts like an ISO timestamp: the canonical form is copied, any other goes through Date.
    if (!isCanonical(buf, start, i)) return -1;
    out.timed = true;
  }
  return i;
}

/**
 * Byte pairs (the first byte in the low half) that the head scan must look at closely: a pair
 * with a byte of SPECIAL, or the first two letters of a level marker (what markerAt compares first).
 */
const HEAD_PAIR = new Uint8Array(65536);
for (let pair = 0; pair < 65536; pair++) if (SPECIAL[pair & 0xff] === 1 || SPECIAL[pair >> 8] === 1) HEAD_PAIR[pair] = 1;
for (const m of MARKERS) HEAD_PAIR[m.charCodeAt(0) | (m.charCodeAt(1) << 8)] = 1;

/**
 * Scans a line's head from `from` to `headEnd`: where its newline is (or `headEnd`), or -1 when
 * it holds a byte of SPECIAL or a level marker. Four bytes at a time, by the pairs starting in
 * them, while none of those needs a closer look; byte by byte where one does.
 */
function scanHead(buf: Uint8Array, from: number, headEnd: number): number {
  const v = viewFor(buf);
  let i = from;
  for (;;) {
    // The pair starting at the fourth byte reads the byte after the word.
    for (; i + 5 <= headEnd; i += 4) {
      const w = v.getInt32(i, true);
      if ((HEAD_PAIR[w & 0xffff] as number) + (HEAD_PAIR[(w >>> 8) & 0xffff] as number) + (HEAD_PAIR[w >>> 16] as number) + (HEAD_PAIR[(w >>> 24) | ((buf[i + 4] as number) << 8)] as number) !== 0) break;
    }
    const stop = Math.min(i + 4, headEnd);
    for (; i < stop; i++) {
      const b = buf[i] as number;
      if (b === NL) return i;
      const c = HEAD_CLASS[b] as number;
      if (c !== 0 && (c === 1 || markerAt(buf, i, b, headEnd))) return -1;
    }
    if (i >= headEnd) return headEnd;
  }
}

/** The first bytes of a line that may continue a stack trace (white space, "." or "C"). */
const CONTINUES = new Uint8Array(256);
for (const c of ' \t.C') CONTINUES[c.charCodeAt(0)] = 1;

/**
 * True when the line at `at` may continue the one before it, or is not there to tell. Its text
 * starts at its first byte, or with `kube` after its timestamp prefix (up to its first space, as
 * kube.ts splitKubeTimestamp reads it): both are checked.
 */
function mayContinue(buf: Uint8Array, at: number, kube: boolean): boolean {
  const first = buf[at];
  if (first === undefined || CONTINUES[first] === 1) return true;
  if (!kube) return false;
  const end = Math.min(at + 40, buf.length);
  for (let j = at; j < end; j++) {
    const b = buf[j] as number;
    if (b === NL) return false;
    if (b === 0x20) return j + 1 >= buf.length || CONTINUES[buf[j + 1] as number] === 1;
  }
  // No space near its start: its text starts at its first byte, unless the space is beyond what is here.
  return end === buf.length;
}

function startsWith(buf: Uint8Array, at: number, w: Uint8Array): boolean {
  for (let k = 0; k < w.length; k++) if (buf[at + k] !== w[k]) return false;
  return true;
}

/**
 * True when a literal of classify.ts LEVEL_WORD starts at `at` (its first byte `b`) and ends by
 * `end` ("✖" is not ASCII: such a line never gets here). Written out letter by letter: lower-case
 * text is full of e, t and d, and this runs on each of them.
 */
function markerAt(buf: Uint8Array, at: number, b: number, end: number): boolean {
  const n = end - at;
  switch (b) {
    case 0x45: // ERR
      return n >= 3 && buf[at + 1] === 0x52 && buf[at + 2] === 0x52;
    case 0x46: // FATAL, FAIL
      return n >= 4 && buf[at + 1] === 0x41 && ((buf[at + 2] === 0x49 && buf[at + 3] === 0x4c) || (n >= 5 && buf[at + 2] === 0x54 && buf[at + 3] === 0x41 && buf[at + 4] === 0x4c));
    case 0x53: // SEVERE
      return n >= 6 && buf[at + 1] === 0x45 && word(buf, at, SEVERE);
    case 0x43: // CRITICAL
      return n >= 8 && buf[at + 1] === 0x52 && word(buf, at, CRITICAL);
    case 0x50: // PANIC
      return n >= 5 && buf[at + 1] === 0x41 && word(buf, at, PANIC);
    case 0x65: // error
      return n >= 5 && buf[at + 1] === 0x72 && word(buf, at, ERROR);
    case 0x66: // fatal
      return n >= 5 && buf[at + 1] === 0x61 && word(buf, at, FATAL);
    case 0x6e: // not ok
      return n >= 6 && buf[at + 1] === 0x6f && word(buf, at, NOT_OK);
    case 0x57: // WARN
      return n >= 4 && buf[at + 1] === 0x41 && word(buf, at, WARN_WORD);
    case 0x77: // warn
      return n >= 4 && buf[at + 1] === 0x61 && word(buf, at, WARN_LOWER);
    case 0x44: // DEBUG
      return n >= 5 && buf[at + 1] === 0x45 && word(buf, at, DEBUG);
    case 0x54: // TRACE
      return n >= 5 && buf[at + 1] === 0x52 && word(buf, at, TRACE);
    case 0x64: // debug
      return n >= 5 && buf[at + 1] === 0x65 && word(buf, at, DEBUG_LOWER);
    case 0x74: // trace
      return n >= 5 && buf[at + 1] === 0x72 && word(buf, at, TRACE_LOWER);
    default:
      return false;
  }
}

const SEVERE = bytes('SEVERE');
const CRITICAL = bytes('CRITICAL');
const PANIC = bytes('PANIC');
const ERROR = bytes('error');
const FATAL = bytes('fatal');
const NOT_OK = bytes('not ok');
const WARN_WORD = bytes('WARN');
const WARN_LOWER = bytes('warn');
const DEBUG = bytes('DEBUG');
const TRACE = bytes('TRACE');
const DEBUG_LOWER = bytes('debug');
const TRACE_LOWER = bytes('trace');

/** True when `w` is at `at` (its first two bytes already compared). */
function word(buf: Uint8Array, at: number, w: Uint8Array): boolean {
  for (let k = 2; k < w.length; k++) if (buf[at + k] !== w[k]) return false;
  return true;
}

/** Where `YYYY-MM-DDTHH:MM:SS.mmmZ` has digits (ecs-doc.ts reads text with it too). */
export const CANONICAL_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const PUNCTUATION: [number, number][] = [[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a], [19, 0x2e], [23, 0x5a]];

/** The canonical timestamp at `at`, within a line ending at `end` (ecs-doc.ts isCanonicalAt on bytes). */
function isCanonical(buf: Uint8Array, at: number, end: number): boolean {
  if (end - at < 24) return false;
  for (const [k, v] of PUNCTUATION) if (buf[at + k] !== v) return false;
  for (const k of CANONICAL_DIGITS) if (((buf[at + k] as number) - 0x30) >>> 0 > 9) return false;
  return true;
}

/**
 * Where the line at `start` ends (its newline) when it is a Java stack frame that JSON takes as it
 * is but for its tab: a tab, "at ", then printable ASCII without `"` or `\`. Else -1.
 */
export function scanFrameLine(buf: Uint8Array, start: number, limit: number): number {
  if (buf[start] !== 0x09 || buf[start + 1] !== 0x61 || buf[start + 2] !== 0x74 || buf[start + 3] !== 0x20) return -1;
  const i = specialAt(buf, start + 4, limit);
  return i < limit && buf[i] === NL ? i : -1;
}

let viewOf: Uint8Array | undefined;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/** A DataView on `buf`, for reading four bytes at once (the last one made: lines of one chunk come in a row). */
function viewFor(buf: Uint8Array): DataView<ArrayBufferLike> {
  if (buf !== viewOf) {
    viewOf = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view;
}

/**
 * Where the first byte of SPECIAL (a newline among them) is from `i` on, or `limit` when there is
 * none before it. Reads four bytes at a time and tests them all at once (the bit tricks of
 * "Bit Twiddling Hacks": a byte below 0x20, above 0x7e, or equal to `"` or `\`): a byte loop
 * costs 12-16 instructions per byte here, this about a third of that.
 */
export function specialAt(buf: Uint8Array, from: number, limit: number): number {
  const v = viewFor(buf);
  let i = from;
  for (; i + 4 <= limit; i += 4) {
    const w = v.getInt32(i, true);
    const quote = w ^ 0x22222222;
    const backslash = w ^ 0x5c5c5c5c;
    const found = ((w - 0x20202020) & ~w) | (w + 0x01010101) | w | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash);
    if ((found & 0x80808080) !== 0) break;
  }
  for (; i < limit; i++) if (SPECIAL[buf[i] as number] === 1) return i;
  return limit;
}

/** Where the fields of `YYYY-MM-DDTHH:MM:SS` are, and their largest values (days are checked by month). */
const TIME_FIELDS: [number, number, number][] = [[0, 4, 9999], [5, 2, 12], [8, 2, 31], [11, 2, 23], [14, 2, 59], [17, 2, 59]];
/** The punctuation of `YYYY-MM-DDTHH:MM:SS`: the canonical form's up to its fraction. */
const TIME_PUNCTUATION = PUNCTUATION.slice(0, 5);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads the Kubernetes log timestamp that starts the line at `start` (RFC 3339 in UTC with up to
 * nine fraction digits, then a space) into `out` in the canonical form
 * (`YYYY-MM-DDTHH:MM:SS.mmmZ`, fractions cut to milliseconds as Date does); returns where the
 * line's text starts, or -1 for anything else (kube.ts splitKubeTimestamp reads those).
 */
export function scanKubeTime(buf: Uint8Array, start: number, limit: number, out: Uint8Array): number {
  if (limit - start < 22) return -1;
  const f: number[] = fieldValues;
  for (let k = 0; k < TIME_FIELDS.length; k++) {
    const [at, len, max] = TIME_FIELDS[k] as [number, number, number];
    let v = 0;
    for (let d = 0; d < len; d++) {
      const c = (buf[start + at + d] as number) - 0x30;
      if (c >>> 0 > 9) return -1;
      v = v * 10 + c;
    }
    if (v > max) return -1;
    f[k] = v;
  }
  for (const [at, c] of TIME_PUNCTUATION) if (buf[start + at] !== c) return -1;
  const [year, month, day] = f as [number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  // Years before 1000 and days a month does not have are left to Date.
  if (year < 1000 || month < 1 || day < 1 || day > (month === 2 && leap ? 29 : (DAYS[month - 1] as number))) return -1;
  for (let k = 0; k < 19; k++) out[k] = buf[start + k] as number;
  out[19] = 0x2e;
  out[20] = out[21] = out[22] = 0x30;
  out[23] = 0x5a;
  let p = start + 19;
  if (buf[p] === 0x2e) {
    p++;
    let n = 0;
    while (((buf[p] as number) - 0x30) >>> 0 <= 9 && n < 9) {
      if (n < 3) out[20 + n] = buf[p] as number;
      p++;
      n++;
    }
    if (n === 0) return -1;
  }
  if (buf[p] !== 0x5a || buf[p + 1] !== 0x20 || p + 2 > limit) return -1;
  return p + 2;
}
const fieldValues: number[] = [0, 0, 0, 0, 0, 0];
