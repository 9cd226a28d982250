import { backoffDelay, sleep } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';
import { Batch } from './batch.ts';
import { ConnectionError } from './http.ts';

/**
 * Bulk requests in flight at once. With two, the 1 GiB gzip benchmark on one core waited 4.9-6.2 s
 * for answers; with three, 2.9-3.0 s (its gzip runs on the same core as the batch being filled).
 */
export const MAX_IN_FLIGHT = 3;

/** One document on its way: deterministic id, JSON, and where it came from. */
export interface Item {
  id: string;
  json: string;
  /** Target index when it differs from the shipper's (documents from an older spool). */
  index?: string | undefined;
  /** True for documents read back from the spool: they are never spooled twice. */
  fromSpool?: boolean;
}

/** The outcome of one item in a bulk response. */
export type ItemOutcome = { ok: true; existed: boolean } | { ok: false; retry: boolean; status: number; reason: string };

/** What a transport made of one request. */
export type SendOutcome =
  | { kind: 'items'; outcomes: ItemOutcome[] }
  | { kind: 'retry'; status: number; reason: string; retryAfterMs?: number | undefined }
  | { kind: 'too-large' }
  | { kind: 'reject'; status: number; reason: string }
  | { kind: 'auth'; status: number; reason: string };

/** Sends a batch to ELK (one outcome per document, in order); throws ConnectionError when no response came. */
export interface Transport {
  send(batch: Batch, signal: AbortSignal): Promise<SendOutcome>;
}

/** Where documents go that cannot be shipped now (spool) or ever (dead letter). */
export interface Parking {
  spool(batch: Batch): Promise<void>;
  deadLetter(item: Item, status: number, reason: string): Promise<void>;
}

export interface ShipperOptions {
  transport: Transport;
  parking: Parking;
  log: Logger;
  signal: AbortSignal;
  batchBytes: number;
  batchCount: number;
  retries: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Start degraded: ELK was unreachable before the first batch. */
  degraded?: boolean;
  /** Send a partial batch after this long (a slow stream should not wait for a full batch). */
  flushIntervalMs?: number;
}

/** Counts of a shipping run. */
export interface ShipStats {
  shipped: number;
  existed: number;
  failed: number;
  spooled: number;
  /** Spooled documents of earlier runs that stayed in the spool. */
  keptInSpool: number;
  retriedItems: number;
  requests: number;
  degraded: boolean;
  authFailed: boolean;
}

/**
 * Batches documents by count and bytes and ships them with per-item retries:
 * 2xx and 409 (already there) count as shipped, 429/5xx items are retried with backoff,
 * anything else goes to the dead-letter file with its reason. When ELK stays unreachable,
 * the rest is spooled and the run continues degraded. Three requests are in flight while the next batch fills.
 */
export class Shipper {
  readonly stats: ShipStats = { shipped: 0, existed: 0, failed: 0, spooled: 0, keptInSpool: 0, retriedItems: 0, requests: 0, degraded: false, authFailed: false };
  private current: Batch;
  /** Requests on their way (at most MAX_IN_FLIGHT). */
  private readonly inflight = new Set<Promise<void>>();
  private fatal: unknown;
  private timer: NodeJS.Timeout | undefined;
  /** Memory of batches that went out, for the next ones (see Batch.release). */
  private readonly spare: Buffer[] = [];

  constructor(private readonly o: ShipperOptions) {
    this.stats.degraded = o.degraded === true;
    this.current = this.newBatch();
  }

  private newBatch(): Batch {
    // Room for a full batch and the document that tips it over, so a batch rarely grows.
    return new Batch(Math.min(this.o.batchBytes, 64 << 20) + (256 << 10), this.spare.pop());
  }

  /** The batch being filled: the pump writes documents straight into it, then calls written(). */
  get batch(): Batch {
    return this.current;
  }

  /** True when the batch is due to go out (by count or bytes). */
  get full(): boolean {
    return this.current.length >= this.o.batchCount || this.current.byteLength >= this.o.batchBytes;
  }

  /** Adds a document; returns a promise only when the caller must wait (a batch went out). */
  add(item: Item): Promise<void> | undefined {
    this.current.add(item);
    return this.written();
  }

  /**
   * After documents went into the batch: sends it when full (the promise to wait for, which
   * settles once fewer than MAX_IN_FLIGHT requests are out), or makes sure a partial batch goes out in time.
   */
  written(): Promise<void> | undefined {
    if (this.full) return this.dispatch();
    if (this.timer == null && this.o.flushIntervalMs && this.current.length > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.current.length > 0) this.dispatch().catch((err: unknown) => (this.fatal ??= err));
      }, this.o.flushIntervalMs);
      this.timer.unref();
    }
    return undefined;
  }

  /** Sends what is batched and waits for everything in flight. */
  async flush(): Promise<void> {
    if (this.current.length > 0) await this.dispatch();
    while (this.inflight.size > 0) await Promise.all(this.inflight);
    if (this.fatal) throw this.fatal;
  }

  private async dispatch(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.current;
    this.current = this.newBatch();
    // Wait only while MAX_IN_FLIGHT requests are out: the target works on one batch while the
    // next one travels and the caller fills a third, so neither side waits for the other.
    while (this.inflight.size >= MAX_IN_FLIGHT) await Promise.race(this.inflight);
    if (this.fatal) throw this.fatal;
    const p = (async () => {
      try {
        await this.ship(items);
        // Shipped, spooled or dead-lettered: nothing refers to the batch's bytes any more.
        if (this.spare.length < MAX_IN_FLIGHT) this.spare.push(items.release());
      } catch (err) {
        this.fatal ??= err;
      }
    })();
    this.inflight.add(p);
    void p.then(() => this.inflight.delete(p));
  }

  private async ship(all: Batch): Promise<void> {
    let items = all;
    for (let attempt = 0; items.length > 0; attempt++) {
      if (this.stats.degraded) return this.park(items);
      if (this.o.signal.aborted) throw this.o.signal.reason;
      let out: SendOutcome;
      try {
        this.stats.requests++;
        out = await this.o.transport.send(items, this.o.signal);
      } catch (err) {
        if (!(err instanceof ConnectionError)) throw err;
        if (attempt >= this.o.retries) {
          this.o.log.warn(`ELK unreachable after ${attempt + 1} attempts (${err.message}); spooling the rest, the build goes on`);
          this.stats.degraded = true;
          return this.park(items);
        }
        await this.wait(attempt, undefined, `${err.message}`);
        continue;
      }
      switch (out.kind) {
        case 'items': {
          const again: number[] = [];
          for (let i = 0; i < items.length; i++) {
            const r = out.outcomes[i];
            if (r == null) {
              again.push(i);
            } else if (r.ok) {
              this.stats.shipped++;
              if (r.existed) this.stats.existed++;
            } else if (r.retry) {
              again.push(i);
            } else {
              this.stats.failed++;
              await this.o.parking.deadLetter(items.item(i), r.status, r.reason);
            }
          }
          if (again.length === 0) return;
          this.stats.retriedItems += again.length;
          items = items.select(again);
          if (attempt >= this.o.retries) {
            this.o.log.warn(`${again.length} documents still refused (429/5xx) after ${attempt + 1} attempts; spooling them for a later run`);
            this.stats.degraded = true;
            return this.park(items);
          }
          await this.wait(attempt, undefined, `${again.length} of the batch refused for now`);
          break;
        }
        case 'retry':
          if (attempt >= this.o.retries) {
            this.o.log.warn(`ELK kept answering HTTP ${out.status} (${out.reason}); spooling the rest, the build goes on`);
            this.stats.degraded = true;
            return this.park(items);
          }
          await this.wait(attempt, out.retryAfterMs, `HTTP ${out.status}`);
          break;
        case 'too-large': {
          if (items.length === 1) {
            this.stats.failed++;
            await this.o.parking.deadLetter(items.item(0), 413, 'document larger than the server accepts (HTTP 413)');
            return;
          }
          const half = Math.ceil(items.length / 2);
          await this.ship(items.slice(0, half));
          await this.ship(items.slice(half, items.length));
          return;
        }
        case 'reject':
          for (let i = 0; i < items.length; i++) {
            this.stats.failed++;
            await this.o.parking.deadLetter(items.item(i), out.status, out.reason);
          }
          return;
        case 'auth':
          this.o.log.error(`ELK refused the credentials (HTTP ${out.status}: ${out.reason}); spooling the rest`);
          this.stats.authFailed = true;
          this.stats.degraded = true;
          return this.park(items);
      }
    }
  }

  private async park(items: Batch): Promise<void> {
    const fresh: number[] = [];
    for (let i = 0; i < items.length; i++) if (!items.isFromSpool(i)) fresh.push(i);
    this.stats.keptInSpool += items.length - fresh.length;
    if (fresh.length > 0) {
      await this.o.parking.spool(fresh.length === items.length ? items : items.select(fresh));
      this.stats.spooled += fresh.length;
    }
  }

  private async wait(attempt: number, retryAfterMs: number | undefined, why: string): Promise<void> {
    const max = this.o.maxDelayMs ?? 30_000;
    const d = Math.min(max, Math.max(backoffDelay(attempt, { minDelayMs: this.o.minDelayMs ?? 200, maxDelayMs: max }), retryAfterMs ?? 0));
    this.o.log.debug(`retrying in ${d} ms: ${why}`);
    await sleep(d, this.o.signal);
  }
}
