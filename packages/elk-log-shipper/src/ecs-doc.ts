import { createHash } from 'node:crypto';
import type { ErrorType, Level } from './classify.ts';
import { classify, errorCode, eventLevel } from './classify.ts';
import type { Batch } from './batch.ts';
import { LineShape, LineTime } from './batch.ts';
import type { LogEvent } from './grouper.ts';
import { eventLines, FRAME } from './grouper.ts';
import type { PlainLine } from './plain-line.ts';
import { CANONICAL_DIGITS } from './plain-line.ts';

export const ECS_VERSION = '8.11.0';
export const DATASET = 'steg.build';

/** What is the same for every document of a run. */
export interface RunContext {
  pipelineName: string;
  pipelineRunId: string;
  serviceName: string;
  vcsRepository: string;
  vcsRevision: string;
  vcsRef: string;
  labels: Record<string, string>;
  /**
   * What plain line documents carry: the whole context (default), or only the ids that tie them
   * to their run, task run and step (error and summary documents always carry the whole context).
   */
  lineContext?: 'full' | 'ids';
}

/** Where a log came from within the run. */
export interface SourceContext {
  taskName: string;
  taskRunId: string;
  stepName: string;
  /** File path relative to the workspace, "-" for stdin, or "" for a container log. */
  path: string;
  /** Extra text that keeps ids of different sources apart when the run has no id. */
  salt?: string;
}

/** A document ready to ship: its deterministic id and its JSON text. */
export interface Doc {
  id: string;
  json: string;
}

/** What an error document said, for the step's failure summary and counts. */
export interface ErrorInfo {
  errorType: ErrorType;
  errorMessage: string;
}

/** A failed step, for its summary document. */
export interface StepFailure {
  exitCode: number | undefined;
  reason: string;
  tail: string[];
  /** The first error class seen in the step's log, if any, and its message. */
  firstErrorType?: ErrorType | undefined;
  firstErrorMessage?: string | undefined;
  timestamp?: string | undefined;
}

const q = JSON.stringify;

/** The id prefix of a source: a hash of run, task run, step and source, so re-runs give the same ids. */
export function sourceIdPrefix(run: RunContext, src: SourceContext): string {
  return createHash('sha256')
    .update([run.pipelineRunId, src.taskRunId, src.taskName, src.stepName, src.path, src.salt ?? ''].join('\0'))
    .digest('base64url')
    .slice(0, 22);
}

/** Builds ECS documents for one source; the constant fields are encoded once. */
export class DocEncoder {
  private readonly fixed: string;
  /** The constant bytes of plain line documents: id prefix and context (all of it, or only the ids). */
  private readonly shape: LineShape;
  private readonly prefix: string;
  /** The time of the last line that had one, as text; undefined while lineTime holds a newer one. */
  private lastTimeText: string | undefined;
  /** That time as bytes, for plain lines written from bytes; stale while only the text is current. */
  private readonly lineTime = new LineTime();
  private lineTimeStale = true;

  constructor(
    run: RunContext,
    src: SourceContext,
    private readonly baseTime: string,
    private readonly redact: ((s: string) => string) | undefined,
  ) {
    this.prefix = sourceIdPrefix(run, src);
    this.lastTimeText = baseTime;
    const f: [string, string][] = [
      ['ecs.version', ECS_VERSION],
      ['event.dataset', DATASET],
      ['service.name', run.serviceName],
      ['cicd.pipeline.name', run.pipelineName],
      ['cicd.pipeline.run.id', run.pipelineRunId],
      ['cicd.pipeline.task.name', src.taskName],
      ['cicd.pipeline.task.run.id', src.taskRunId],
      ['cicd.pipeline.task.step.name', src.stepName],
      ['vcs.repository.url.full', run.vcsRepository],
      ['vcs.ref.head.revision', run.vcsRevision],
      ['vcs.ref.head.name', run.vcsRef],
      ['log.file.path', src.path],
    ];
    const json = (pairs: [string, string][]): string => pairs.filter(([, v]) => v !== '').map(([k, v]) => `${q(k)}:${q(v)}`).join(',');
    this.fixed = Object.keys(run.labels).length > 0 ? `${json(f)},"labels":${q(run.labels)}` : json(f);
    const ids = new Set(['cicd.pipeline.run.id', 'cicd.pipeline.task.run.id', 'cicd.pipeline.task.step.name']);
    this.shape = new LineShape(this.prefix, run.lineContext === 'ids' ? json(f.filter(([k]) => ids.has(k))) : this.fixed);
  }

  private get lastTimestamp(): string {
    return (this.lastTimeText ??= this.lineTime.text());
  }

  private set lastTimestamp(t: string) {
    this.lastTimeText = t;
    this.lineTimeStale = true;
  }

  /**
   * Writes the document of a plain line straight from the log's bytes: `src` from `start` to
   * `end` is a line plain-line.ts scanPlainLine took, and `line` what it found. `time` is the
   * timestamp its source gave (24 bytes, canonical), which wins as the event's timestamp does in
   * write(). Gives the document write() gives for the same line as text.
   */
  writePlainLine(src: Uint8Array, start: number, end: number, offset: number, line: PlainLine, batch: Batch, time?: Uint8Array): void {
    if (time !== undefined || line.timed) {
      this.lineTime.setCanonical(time ?? src, time ? 0 : start);
      this.lineTimeStale = false;
      this.lastTimeText = undefined;
    } else if (this.lineTimeStale) {
      this.lineTime.setText(this.lastTimeText as string);
      this.lineTimeStale = false;
    }
    batch.addLineBytes(this.shape, offset, this.lineTime, src, start, end, line.level);
  }

  /**
   * Writes the document of one event into the batch. Returns what the error was when the
   * document is an error; plain lines return undefined and allocate nothing beyond their text.
   */
  write(e: LogEvent, batch: Batch): ErrorInfo | undefined {
    const first = e.lines[0] ?? '';
    // A Java/Node trace goes into the batch line by line (Batch.addWithLines), never joined;
    // with secrets to mask it is joined first, so a mask sees the text as it was written.
    const byLines = e.kind === 'stack' && e.lines.length > 1 && !this.redact;
    let message = e.lines.length === 1 || byLines ? first : eventLines(e).join('\n');
    if (this.redact) message = this.redact(message);
    let level: Level;
    let ts = e.timestamp ?? leadingTimestamp(first);
    let errorMessage: string | undefined;
    let stack: string | undefined;
    if (e.kind === 'line' && first.charCodeAt(0) === 123 /* { */ && first.charCodeAt(first.length - 1) === 125) {
      const j = parseJsonLine(message);
      if (j) {
        message = j.message;
        level = j.level ?? 'info';
        ts = j.timestamp ?? ts;
        errorMessage = j.errorMessage;
        stack = j.stack;
      } else {
        level = eventLevel(e);
      }
    } else {
      level = eventLevel(e);
    }
    if (ts) this.lastTimestamp = ts;
    if (level !== 'error' && level !== 'fatal' && errorMessage == null) {
      batch.addLine(this.shape, e.offset, this.lastTimestamp, message, level);
      return undefined;
    }
    const text = stack ?? message;
    // For a Java/Node trace, the exception lines say what it is; the frames only cost time.
    const gist = stack == null && e.kind === 'stack' ? traceGist(e.lines) : text;
    // A trace is stored once, in error.stack_trace; the message is its first line.
    if (stack == null && e.lines.length > 1) message = this.redact ? this.redact(first) : first;
    const head = `{"@timestamp":"${this.lastTimestamp}","message":${q(message)},"log.level":"${level}","log.offset":${e.offset}`;
    const type = classify(gist);
    // The class comes from a fixed list; the code and the line are text of the log, so they are masked.
    const rawCode = errorCode(gist);
    const code = rawCode && this.redact ? this.redact(rawCode) : rawCode;
    const msg = errorMessage ?? errorLine(e, message, this.redact);
    let err = `,"event.outcome":"failure","error.type":"${type}","error.message":${q(msg)}`;
    if (code) err += `,"error.code":${q(code)}`;
    const id = `${this.prefix}-${e.offset.toString(36)}`;
    if (byLines) {
      batch.addWithLines(id, `${head},${this.fixed}${err}`, 'error.stack_trace', e.lines, e.frames);
      return { errorType: type, errorMessage: msg };
    }
    if (stack != null || e.lines.length > 1) err += `,"error.stack_trace":${q(text)}`;
    batch.add({ id, json: `${head},${this.fixed}${err}}` });
    return { errorType: type, errorMessage: msg };
  }

  /** The summary document of a failed step: exit code, reason and the last lines before the failure. */
  summary(f: StepFailure): Doc {
    const tail = this.redact ? f.tail.map(this.redact) : f.tail;
    const tailText = tail.join('\n');
    // A reason is a short code from the TaskRun status ("Error", "OOMKilled"), but it is masked all the same.
    const reason = this.redact ? this.redact(f.reason) : f.reason;
    const type = f.firstErrorType ?? classify(`${reason}\n${tailText}`);
    const exit = f.exitCode == null ? 'without an exit code' : `with exit code ${f.exitCode}`;
    const message = `step failed ${exit}${reason ? ` (${reason})` : ''}`;
    const firstError = f.firstErrorMessage != null && this.redact ? this.redact(f.firstErrorMessage) : f.firstErrorMessage;
    const last = firstError ?? [...tail].reverse().find((l) => l.trim() !== '') ?? message;
    let json = `{"@timestamp":${q(f.timestamp ?? this.lastTimestamp)},"message":${q(message)},"log.level":"error",${this.fixed}`;
    json += `,"event.action":"step-failed","event.outcome":"failure","error.type":"${type}","error.message":${q(last.slice(0, 2000))}`;
    if (f.exitCode != null) json += `,"process.exit_code":${f.exitCode}`;
    if (reason) json += `,"event.reason":${q(reason)}`;
    if (tailText) json += `,"error.stack_trace":${q(tailText)}`;
    return { id: `${this.prefix}-summary`, json: `${json}}` };
  }

  /** True when the documents mask secrets. */
  get masks(): boolean {
    return this.redact !== undefined;
  }

  /** Time given to documents whose line carries none. */
  get base(): string {
    return this.baseTime;
  }
}

/** The lines of a stack trace that are not frames: the exception and its causes. */
function traceGist(lines: string[]): string {
  let out = '';
  for (const l of lines) {
    const c = l.charCodeAt(0);
    if (c === 9 || c === 32 || l === FRAME) continue;
    out += out ? `\n${l}` : l;
    if (out.length > 1500) break;
  }
  return out;
}

/** The line that says what went wrong, masked like the message (`message` is masked already). */
function errorLine(e: LogEvent, message: string, redact: ((s: string) => string) | undefined): string {
  const mask = redact ?? ((s: string): string => s);
  if (e.kind === 'python') return e.lines.length > 0 ? mask(e.lines.at(-1) as string) : message;
  const clean = (l: string): string => l.replace(/^\[ERROR\]\s*|^npm (ERR!|error)\s*/, '').trim();
  let frame = 0;
  for (const l of e.lines) {
    const c = clean(mask(l === FRAME && e.frames ? e.frames.text(frame++) : l));
    if (c !== '' && !/^(code|errno)\s/.test(c)) return c.slice(0, 2000);
  }
  return message.slice(0, 2000);
}

/** True when the text starts with a timestamp in the canonical form (UTC, milliseconds). */
function isCanonicalAt(s: string): boolean {
  if (s.length < 24 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 46 || s.charCodeAt(23) !== 90) return false;
  for (const i of CANONICAL_DIGITS) if (((s.charCodeAt(i) - 48) >>> 0) > 9) return false;
  return true;
}
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)/;

/** An ISO-8601 timestamp with a zone at the start of a line, if there is one. */
export function leadingTimestamp(line: string): string | undefined {
  if (line.length < 20 || line.charCodeAt(4) !== 45 || line.charCodeAt(10) !== 84) return undefined;
  // The canonical form (what most tools print) read by character codes: the pattern below
  // costs a match array and its strings per line.
  if (isCanonicalAt(line)) return line.length === 24 ? line : line.slice(0, 24);
  const m = ISO.exec(line);
  if (!m) return undefined;
  const ms = Date.parse(m[0]);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

interface JsonLine {
  message: string;
  level?: Level | undefined;
  timestamp?: string | undefined;
  errorMessage?: string | undefined;
  stack?: string | undefined;
}

const PINO = new Map<number, Level>([[10, 'trace'], [20, 'debug'], [30, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal']]);
// A Map: a level such as "constructor" must not find what an object inherits.
const LEVELS = new Map<string, Level>(Object.entries({
  trace: 'trace', debug: 'debug', info: 'info', information: 'info', notice: 'info', warn: 'warn', warning: 'warn',
  error: 'error', err: 'error', severe: 'error', fatal: 'fatal', critical: 'fatal', crit: 'fatal', panic: 'fatal', emergency: 'fatal', alert: 'fatal',
} satisfies Record<string, Level>));

/**
 * The fields parseJsonLine reads, by the name they have at the top of a JSON line, and the slot
 * each value goes to. A field such as log.level may be written flat ("log.level") or nested
 * (log → level); the flat one wins.
 */
const [MESSAGE, MSG, LOG, TEXT, LOG_LEVEL, LEVEL, SEVERITY, LVL, AT_TIMESTAMP, TIMESTAMP, TIME, TS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const [ERROR_MESSAGE, ERR_MESSAGE, ERROR, ERR, ERROR_STACK_TRACE, ERR_STACK, ERROR_STACK, STACK, STACKTRACE] = [12, 13, 14, 15, 16, 17, 18, 19, 20] as const;
/** The names, in the order of the slots above. */
const FIELDS = [
  'message', 'msg', 'log', 'text', 'log.level', 'level', 'severity', 'lvl', '@timestamp', 'timestamp', 'time', 'ts',
  'error.message', 'err.message', 'error', 'err', 'error.stack_trace', 'err.stack', 'error.stack', 'stack', 'stacktrace',
];
const SLOT = new Map<string, number>(FIELDS.map((f, i) => [f, i]));
/** The values of one line's fields by slot (reused: parseJsonLine is not re-entered). */
const values: unknown[] = new Array<unknown>(FIELDS.length).fill(undefined);

/** A non-empty string, else undefined. */
function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The flat field when there is one (even null), else `name` inside the object `parent`. */
function flatOrNested(flat: unknown, parent: unknown, name: string): unknown {
  if (flat !== undefined) return flat;
  return parent != null && typeof parent === 'object' ? (parent as Record<string, unknown>)[name] : undefined;
}

/**
 * Reads message, level, time and error of a JSON log line (ECS, pino, bunyan, logrus, zap shapes).
 * One pass over the line's own fields: looking each candidate name up (twenty of them) cost more
 * than JSON.parse itself.
 */
export function parseJsonLine(text: string): JsonLine | undefined {
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(text);
    if (v == null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    o = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  values.fill(undefined);
  for (const k in o) {
    const slot = SLOT.get(k);
    if (slot !== undefined) values[slot] = o[k];
  }
  const v = values;
  const message = nonEmpty(v[MESSAGE]) ?? nonEmpty(v[MSG]) ?? nonEmpty(v[LOG]) ?? nonEmpty(v[TEXT]) ?? text;
  // The first field there and not null (?? passes over both).
  const rawLevel = flatOrNested(v[LOG_LEVEL], v[LOG], 'level') ?? v[LEVEL] ?? v[SEVERITY] ?? v[LVL];
  let level: Level | undefined;
  if (typeof rawLevel === 'number') level = PINO.get(rawLevel);
  else if (typeof rawLevel === 'string') level = LEVELS.get(rawLevel.toLowerCase());
  let timestamp: string | undefined;
  const t = v[AT_TIMESTAMP] ?? v[TIMESTAMP] ?? v[TIME] ?? v[TS];
  if (typeof t === 'number') {
    const ms = t > 1e12 ? t : t * 1000;
    timestamp = isoFromMillis(ms);
  } else if (typeof t === 'string') {
    // Most JSON loggers already write the canonical UTC form: no need to go through Date.
    if (t.length === 24 && isCanonicalAt(t)) {
      timestamp = t;
    } else {
      const ms = Date.parse(t);
      if (!Number.isNaN(ms)) timestamp = new Date(ms).toISOString();
    }
  }
  const errorMessage =
    nonEmpty(flatOrNested(v[ERROR_MESSAGE], v[ERROR], 'message')) ??
    nonEmpty(flatOrNested(v[ERR_MESSAGE], v[ERR], 'message')) ??
    (typeof v[ERROR] === 'string' ? v[ERROR] : undefined);
  const stack =
    nonEmpty(flatOrNested(v[ERROR_STACK_TRACE], v[ERROR], 'stack_trace')) ??
    nonEmpty(flatOrNested(v[ERR_STACK], v[ERR], 'stack')) ??
    nonEmpty(flatOrNested(v[ERROR_STACK], v[ERROR], 'stack')) ??
    nonEmpty(v[STACK]) ??
    nonEmpty(v[STACKTRACE]);
  if ((errorMessage != null || stack != null) && (level == null || level === 'info')) level = 'error';
  return { message, level, timestamp, errorMessage: errorMessage ?? (stack ? stack.split('\n')[0] : undefined), stack };
}

/** The second an ISO string was last made for, and that string up to its milliseconds. */
let isoSecond = Number.NaN;
let isoPrefix = '';
const MILLIS = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

/**
 * Epoch milliseconds as an ISO timestamp (Date.prototype.toISOString's form), or undefined when
 * out of a Date's range. Log lines come a few per millisecond apart, so the part up to the second
 * is reused: a Date costs about a microsecond a line.
 */
export function isoFromMillis(ms: number): string | undefined {
  // Dates drop fractions of a millisecond toward zero.
  const whole = Math.trunc(ms);
  if (!(Math.abs(whole) <= 8.64e15)) return undefined;
  if (whole < 0 || whole >= 253402300800000) return new Date(whole).toISOString();
  const second = Math.floor(whole / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(whole).toISOString().slice(0, 20);
  }
  return isoPrefix + (MILLIS[whole - second * 1000] as string);
}
