import type { Batch } from './batch.ts';
import type { ErrorType } from './classify.ts';
import type { DocEncoder } from './ecs-doc.ts';
import type { LogEvent } from './grouper.ts';
import { Grouper } from './grouper.ts';
import { splitKubeTimestamp } from './kube.ts';
import { LineSplitter } from './line-splitter.ts';
import type { PlainLine } from './plain-line.ts';
import { scanFrameLine, scanKubeTime, scanPlainLine } from './plain-line.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;
const ESC = 0x1b;
const NL = 0x0a;
const TAB = 0x09;

/** Where documents go: the shipper's batch, written into directly. */
export interface DocSink {
  /** The batch being filled. */
  readonly batch: Batch;
  /** True when the batch must go out before more is written. */
  readonly full: boolean;
  /** Called after writing: a promise to wait for when a batch went out. */
  written(): Promise<void> | undefined;
}

/** What one log source gave. */
export interface PumpStats {
  bytes: number;
  lines: number;
  docs: number;
  errors: number;
  /** The first specific error class seen (a generic "error" only when nothing more specific came). */
  firstErrorType: ErrorType | undefined;
  /** The message of that error. */
  firstErrorMessage: string | undefined;
  tail: string[];
  lastTimestamp: string | undefined;
}

export interface PumpOptions {
  /** Lines carry the Kubernetes timestamp prefix. */
  kubeTimestamps?: boolean;
  /** Keep this many last lines (for a failure summary); 0 keeps none. */
  tailLines?: number;
  /** Called after each chunk, for progress. */
  onChunk?: (bytes: number) => void;
  /** Flush a half-grouped event after this long without input (stdin). */
  idleFlushMs?: number;
  /**
   * With secrets to mask: true when a chunk may hold one. Plain lines of other chunks are copied
   * from the bytes (plain-line.ts); without this, every line goes through the mask.
   */
  mayHoldSecret?: (chunk: Buffer) => boolean;
  /** Copy plain lines from the bytes when the above allows (default true; false for comparison). */
  plainLineBytes?: boolean;
}

/**
 * Streams one log source through line splitting, grouping and encoding into documents,
 * written straight into the shipper's batch: chunk by chunk, and within a chunk it stops to
 * ship each batch as it fills, so memory stays bounded whatever the log's size.
 */
export async function pump(input: AsyncIterable<Buffer | string>, enc: DocEncoder, sink: DocSink, o: PumpOptions = {}): Promise<PumpStats> {
  const stats: PumpStats = { bytes: 0, lines: 0, docs: 0, errors: 0, firstErrorType: undefined, firstErrorMessage: undefined, tail: [], lastTimestamp: undefined };
  const tailMax = o.tailLines ?? 0;
  const grouper = new Grouper((e: LogEvent) => {
    const err = enc.write(e, sink.batch);
    stats.docs++;
    if (err) {
      stats.errors++;
      if (stats.firstErrorType == null || (stats.firstErrorType === 'error' && err.errorType !== 'error')) {
        stats.firstErrorType = err.errorType;
        stats.firstErrorMessage = err.errorMessage;
      }
    }
  });
  /** Whether the lines being split may hold an escape character; whether the unfinished last line may. */
  let mayHaveEsc = true;
  let carriedEsc = false;
  // Plain lines are copied from the bytes unless something must see them as text: the tail kept
  // for a failure summary, or a secret to mask in this chunk.
  const bytesAllowed = o.plainLineBytes !== false && tailMax === 0 && (!enc.masks || o.mayHoldSecret !== undefined);
  let plainBytes = bytesAllowed;
  const plain: PlainLine = { level: 'info', timed: false };
  const kube = o.kubeTimestamps === true;
  /** The Kubernetes timestamp of the line being read as bytes, and of the last line taken so. */
  const kubeTime = new Uint8Array(24);
  const lastKubeTime = new Uint8Array(24);
  /** True when the last Kubernetes timestamp seen was on a line taken as bytes. */
  let lastKubeTimeInBytes = false;
  const onBytes = (buf: Buffer, start: number, limit: number, offset: number): number => {
    if (!plainBytes) return -1;
    // Where the line's text starts: after its Kubernetes timestamp, read as kube.ts reads it.
    const at = kube ? scanKubeTime(buf, start, limit, kubeTime) : start;
    if (at < 0) return -1;
    let end: number;
    if (buf[at] === TAB) {
      // A Java frame joins the open trace as bytes (with secrets to mask, a trace is joined as text).
      if (enc.masks) return -1;
      end = scanFrameLine(buf, at, limit);
      if (end < 0 || !grouper.pushFrame(buf, at, end)) return -1;
    } else {
      // A Python traceback or Go panic may take any line as its next one.
      const open = grouper.pendingKind;
      if (open === 'python' || open === 'go') return -1;
      end = scanPlainLine(buf, at, limit, plain, kube);
      if (end < 0) return -1;
      // The open event cannot take this line: it goes out first, as it would have.
      grouper.flush();
      enc.writePlainLine(buf, at, end, offset, plain, sink.batch, kube ? kubeTime : undefined);
      stats.docs++;
    }
    stats.lines++;
    if (kube) {
      lastKubeTime.set(kubeTime);
      lastKubeTimeInBytes = true;
    }
    return end + 1;
  };
  const splitter = new LineSplitter((text, offset) => {
    stats.lines++;
    let line = text;
    let ts: string | undefined;
    if (o.kubeTimestamps) ({ ts, text: line } = splitKubeTimestamp(text));
    // Colour codes (Maven, npm and most CLIs print them in CI too) would break every pattern.
    if (mayHaveEsc && line.includes('\x1b')) line = line.replace(ANSI, '');
    if (ts) {
      stats.lastTimestamp = ts;
      lastKubeTimeInBytes = false;
    }
    if (tailMax > 0) {
      stats.tail.push(line);
      if (stats.tail.length > tailMax * 2) stats.tail = stats.tail.slice(-tailMax);
    }
    grouper.push(line, offset, ts);
  }, onBytes);
  const full = (): boolean => sink.full;
  /** Splits what was fed, shipping each batch as it fills. */
  const drain = async (): Promise<void> => {
    for (;;) {
      const done = splitter.drain(full);
      const w = sink.written();
      if (w) await w;
      if (done) return;
    }
  };
  let idle: NodeJS.Timeout | undefined;
  let idleFlush: Promise<void> | undefined;
  const armIdle = (): void => {
    if (!o.idleFlushMs) return;
    clearTimeout(idle);
    // A quiet stream (stdin from a running build) should not hold its last event back.
    idle = setTimeout(() => {
      grouper.flush();
      idleFlush = sink.written();
      idleFlush?.catch(() => undefined);
    }, o.idleFlushMs);
    idle.unref();
  };
  try {
    for await (const chunk of input) {
      clearTimeout(idle);
      if (idleFlush) await idleFlush;
      idleFlush = undefined;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stats.bytes += buf.length;
      // One native search per chunk instead of one per line. A line begun in an earlier chunk
      // ends in this one, so an escape there counts too.
      const chunkHasEsc = buf.indexOf(ESC) >= 0;
      mayHaveEsc = chunkHasEsc || carriedEsc;
      // The line left unfinished at the end of this chunk: begun here, or going on from before.
      carriedEsc = chunkHasEsc || (carriedEsc && buf.indexOf(NL) < 0);
      // A line with a secret lies in one chunk, or is the line joined across two, which is text.
      plainBytes = bytesAllowed && (o.mayHoldSecret === undefined || !o.mayHoldSecret(buf));
      splitter.feed(buf);
      await drain();
      o.onChunk?.(buf.length);
      armIdle();
    }
  } finally {
    clearTimeout(idle);
  }
  if (idleFlush) await idleFlush;
  splitter.end();
  grouper.flush();
  const w = sink.written();
  if (w) await w;
  stats.tail = stats.tail.slice(-tailMax);
  if (lastKubeTimeInBytes) stats.lastTimestamp = Buffer.from(lastKubeTime).toString('latin1');
  return stats;
}
