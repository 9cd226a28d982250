import type { ErrorType } from './classify.ts';
import type { DocEncoder } from './ecs-doc.ts';
import type { LogEvent } from './grouper.ts';
import { Grouper } from './grouper.ts';
import { splitKubeTimestamp } from './kube.ts';
import { LineSplitter } from './line-splitter.ts';
import type { Item } from './shipper.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** Where documents go: the shipper's add (a promise only when it must be awaited). */
export type Emit = (item: Item) => Promise<void> | undefined;

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
}

/**
 * Streams one log source through line splitting, grouping and encoding into documents:
 * chunk by chunk, so memory stays bounded whatever the log's size.
 */
export async function pump(input: AsyncIterable<Buffer | string>, enc: DocEncoder, emit: Emit, o: PumpOptions = {}): Promise<PumpStats> {
  const stats: PumpStats = { bytes: 0, lines: 0, docs: 0, errors: 0, firstErrorType: undefined, firstErrorMessage: undefined, tail: [], lastTimestamp: undefined };
  const tailMax = o.tailLines ?? 0;
  // Events wait here between a chunk's parsing and the shipper, and are encoded only then: a
  // document dies young once it is in the batch, instead of a whole chunk of them outliving
  // several garbage collections.
  let ready: LogEvent[] = [];
  const grouper = new Grouper((e: LogEvent) => {
    ready.push(e);
  });
  const splitter = new LineSplitter((text, offset) => {
    stats.lines++;
    let line = text;
    let ts: string | undefined;
    if (o.kubeTimestamps) ({ ts, text: line } = splitKubeTimestamp(text));
    // Colour codes (Maven, npm and most CLIs print them in CI too) would break every pattern.
    if (line.includes('\x1b')) line = line.replace(ANSI, '');
    if (ts) stats.lastTimestamp = ts;
    if (tailMax > 0) {
      stats.tail.push(line);
      if (stats.tail.length > tailMax * 2) stats.tail = stats.tail.slice(-tailMax);
    }
    grouper.push(line, offset, ts);
  });
  const drain = async (): Promise<void> => {
    const events = ready;
    ready = [];
    for (const e of events) {
      const d = enc.encode(e);
      stats.docs++;
      if (d.isError) {
        stats.errors++;
        if (stats.firstErrorType == null || (stats.firstErrorType === 'error' && d.errorType !== 'error')) {
          stats.firstErrorType = d.errorType;
          stats.firstErrorMessage = d.errorMessage;
        }
      }
      const p = emit({ id: d.id, json: d.json });
      if (p) await p;
    }
  };
  let idle: NodeJS.Timeout | undefined;
  let idleDrain: Promise<void> | undefined;
  const armIdle = (): void => {
    if (!o.idleFlushMs) return;
    clearTimeout(idle);
    // A quiet stream (stdin from a running build) should not hold its last event back.
    idle = setTimeout(() => {
      grouper.flush();
      idleDrain = drain();
      idleDrain.catch(() => undefined);
    }, o.idleFlushMs);
    idle.unref();
  };
  try {
    for await (const chunk of input) {
      if (idleDrain) await idleDrain;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stats.bytes += buf.length;
      splitter.push(buf);
      o.onChunk?.(buf.length);
      await drain();
      armIdle();
    }
  } finally {
    clearTimeout(idle);
  }
  splitter.end();
  grouper.flush();
  await drain();
  stats.tail = stats.tail.slice(-tailMax);
  return stats;
}
