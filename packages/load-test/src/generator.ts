import type { EventEmitter } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Collector } from './collector.ts';
import type { Route } from './profile.ts';
import { weightedSequence } from './profile.ts';
import type { GeneratorStats } from './summary.ts';

/** How to load the target. */
export interface LoadOptions {
  target: URL;
  routes: Route[];
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Open model: requests per second; 0 for the closed model (each connection sends as fast as it is answered). */
  rate: number;
  timeoutMs: number;
  keepAlive: boolean;
  /** Extra headers for every request (e.g. the secret auth header). */
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Called every `progressMs` while measuring, with the seconds measured so far. */
  onProgress?: (elapsedMs: number) => void;
  progressMs?: number;
}

/** What autocannon's client looks like from inside (autocannon 9.0.0, pinned; test/generator covers it). */
interface Client extends EventEmitter {
  destroyed: boolean;
  /** Request timeout in ms; read after setupClient, so it can be set there. */
  timeout: number;
  requestIterator: { currentRequest: { routeIndex: number }; currentRequestIndex: number; requests: { routeIndex: number }[]; resetted: boolean; nextRequest(): unknown };
  conn: EventEmitter;
  /** Requests in flight on the connection; each stamped with process.hrtime() as it is written (autocannon's latency starts there). */
  pipelinedRequests: { pendingRequests: { startTime: [number, number] }[] };
  _doRequest(): void;
  _connect(): void;
  _destroyConnection(): void;
}

/**
 * What is in flight on one client (at most one request: no pipelining). Plain fields on one
 * object per connection, reused for every request, so the hot path allocates nothing.
 */
class Slot {
  /** A request is in flight. */
  busy = false;
  route = 0;
  /** When the request was sent (ms, the generator's clock). */
  sentAt = 0;
  /** Open model: the time the request should have been sent; latency counts from it when it had to wait. */
  intendedAt = 0;
  /** A timeout destroyed the connection with this request in flight (reported by the 'timeout' event that follows). */
  lost = false;
  lostRoute = 0;
  lostAt = 0;
}

/** Milliseconds of an hrtime tuple: the same monotonic clock as performance.now(), other origin. */
const hrMs = (hr: [number, number]): number => hr[0] * 1e3 + hr[1] / 1e6;
const clock = (): number => hrMs(process.hrtime());

/**
 * Runs the load through autocannon's programmatic API and records every measured
 * request in the collector.
 *
 * autocannon's own rate limit sends each connection's quota in a burst at the start of
 * every second and corrects for coordinated omission with a 1 ms interval, so its
 * latencies under a rate are not usable. Instead each client's `_doRequest` (the one
 * place it sends) is wrapped: in the closed model it sends as autocannon would, in the
 * open model the client waits until a scheduler hands it the next arrival slot. A slot
 * that found every connection busy is sent late, and its latency counts from the time it
 * was due (as wrk2 does), so a slow target cannot hide queueing behind the generator.
 */
export async function runLoad(o: LoadOptions, c: Collector): Promise<GeneratorStats> {
  const base = o.target.pathname.replace(/\/+$/, '');
  const seq = weightedSequence(o.routes.map((r) => r.weight));
  const requests = seq.map((i) => {
    const r = o.routes[i] as Route;
    return { method: r.method, path: `${base}${r.path}${r.path.includes('?') || !o.target.search ? '' : o.target.search}`, headers: { ...r.headers, ...o.headers }, ...(r.body != null ? { body: r.body } : {}), routeIndex: i };
  });
  const open = o.rate > 0;
  const t0 = clock();
  const measureFrom = t0 + o.warmupMs;
  const measureUntil = measureFrom + o.durationMs;
  const connections = open ? Math.max(1, o.connections) : o.connections;
  let draining = false;
  let inFlightCount = 0;

  // Open model state: slot n is due at t0 + n * interval.
  const interval = open ? 1000 / o.rate : 0;
  let nextSlot = 0;
  let backlogUntil = 0; // slots before this index found no free connection when they were due
  let queued = 0;
  let sentMeasured = 0;
  const idle = new Set<Client>();
  let pumpTimer: NodeJS.Timeout | undefined;

  const dueCount = (now: number): number => Math.min(Math.floor((Math.min(now, measureUntil) - t0) / interval) + 1, Math.ceil((measureUntil - t0) / interval));

  const states = new Map<Client, Slot>();

  /**
   * Sends on a client and notes what is in flight. The send time is the one autocannon itself
   * stamps on the request (its latency counts from it), so no second clock read per request.
   * `intendedAt` < 0: sent on time (the closed model, or an open-model slot that did not wait).
   */
  const send = (client: Client, st: Slot, original: () => void, intendedAt: number): void => {
    original.call(client);
    const pending = client.pipelinedRequests.pendingRequests;
    const last = pending[pending.length - 1];
    const now = last ? hrMs(last.startTime) : clock();
    st.busy = true;
    st.route = client.requestIterator.currentRequest.routeIndex;
    st.sentAt = now;
    st.intendedAt = intendedAt < 0 ? now : intendedAt;
    inFlightCount++;
    if (open && now >= measureFrom && now < measureUntil) sentMeasured++;
  };

  /** Ends what is in flight on a client; false when nothing was. Its fields stay readable. */
  const finish = (st: Slot): boolean => {
    if (!st.busy) return false;
    st.busy = false;
    inFlightCount--;
    return true;
  };

  const pump = (): void => {
    pumpTimer = undefined;
    if (draining) return;
    const now = clock();
    const due = dueCount(now);
    for (const client of idle) {
      if (nextSlot >= due) break;
      idle.delete(client);
      // A client can have been woken by a reconnect since it went idle; never send twice on one.
      if (client.destroyed || states.get(client)?.busy) continue;
      const orig = originals.get(client) as () => void;
      const at = t0 + nextSlot * interval;
      nextSlot++;
      send(client, states.get(client) as Slot, orig, nextSlot <= backlogUntil ? at : -1);
    }
    if (nextSlot < due && idle.size === 0) {
      // Every connection is busy: these slots wait for one, and their latency counts from when they were due.
      queued += due - Math.max(nextSlot, backlogUntil);
      backlogUntil = Math.max(backlogUntil, due);
    }
    if (now < measureUntil) {
      const wait = Math.max(0, t0 + Math.max(nextSlot, due) * interval - clock());
      pumpTimer = setTimeout(pump, Math.min(wait, 50));
    }
  };

  const originals = new Map<Client, () => void>();
  let position = 0;

  const setupClient = (emitter: EventEmitter): void => {
    const client = emitter as Client;
    const st = new Slot();
    states.set(client, st);
    // autocannon's option takes whole seconds (at least 1); the client reads this after setupClient.
    client.timeout = o.timeoutMs;
    // Each client would walk the route sequence from its start on its own, so a short run with
    // many connections would mostly send the first routes. One shared position keeps the
    // weighted mix exact over all connections.
    const it = client.requestIterator;
    const routeCount = it.requests.length;
    const take = (): void => {
      it.currentRequestIndex = position++ % routeCount;
      it.currentRequest = it.requests[it.currentRequestIndex] as { routeIndex: number };
    };
    take();
    it.nextRequest = function nextRequest() {
      it.resetted = false;
      take();
      return it.currentRequest;
    };
    const original = client._doRequest;
    originals.set(client, original);
    client._doRequest = open
      ? function doRequest(this: Client): void {
          if (this.destroyed || st.busy || draining) return;
          // Free: take a slot that is already due (waiting since then), else wait for the scheduler.
          if (nextSlot < dueCount(clock())) {
            idle.delete(this);
            const at = t0 + nextSlot * interval;
            nextSlot++;
            send(this, st, original, nextSlot <= backlogUntil ? at : -1);
          } else idle.add(this);
        }
      : function doRequest(this: Client): void {
          // The closed model: send as autocannon would; no arrival scheduling.
          if (this.destroyed || st.busy || draining) return;
          send(this, st, original, -1);
        };
    const destroyConnection = client._destroyConnection;
    client._destroyConnection = function destroy(this: Client): void {
      // A timeout destroys the connection before it says so: remember what was lost.
      st.lost = finish(st);
      st.lostRoute = st.route;
      st.lostAt = st.intendedAt;
      destroyConnection.call(this);
    };
    const connect = client._connect;
    // The server closing a connection with a request in flight loses that request; autocannon does not count it.
    const onEnd = (): void => {
      if (finish(st) && measured(st.intendedAt)) c.connError(st.route, 'ECONNCLOSED', st.intendedAt - measureFrom);
    };
    client._connect = function reconnect(this: Client): void {
      connect.call(this);
      this.conn.prependListener('end', onEnd);
    };
    client.on('response', (status: number, _bytes: number, duration: number) => {
      if (!finish(st)) return;
      const at = st.intendedAt;
      if (measured(at)) c.response(st.route, status, at < st.sentAt ? duration + (st.sentAt - at) : duration, at - measureFrom);
      if (!o.keepAlive && !client.destroyed && !draining) {
        client._destroyConnection();
        client._connect();
      }
      settle();
    });
    client.on('timeout', () => {
      const lost = st.lost;
      st.lost = false;
      // An idle connection also times out (nothing was asked); only a lost request counts.
      if (lost && measured(st.lostAt)) c.timeout(st.lostRoute, st.lostAt - measureFrom);
      settle();
    });
    client.on('connError', (err: NodeJS.ErrnoException) => {
      if (finish(st) && measured(st.intendedAt)) c.connError(st.route, err.code ?? 'ERROR', st.intendedAt - measureFrom);
      settle();
    });
  };

  // Warm-up requests and those sent after the end are not measured (by the time they were due).
  const measured = (at: number): boolean => at >= measureFrom && at < measureUntil;

  const lag = monitorEventLoopDelay({ resolution: 10 });
  let cpuStart: NodeJS.CpuUsage | undefined;
  let wallStart = 0;
  let lagStarted = false;
  const warmupTimer = setTimeout(() => {
    cpuStart = process.cpuUsage();
    wallStart = clock();
    lag.enable();
    lagStarted = true;
  }, o.warmupMs);
  let cpu = 0;

  let settle = (): void => undefined;
  const instance = autocannon({
    url: o.target.origin,
    connections,
    // A fallback end; the run is stopped below once the measured window is over and drained.
    duration: (o.warmupMs + o.durationMs + o.timeoutMs) / 1000 + 5,
    timeout: Math.max(1, Math.ceil(o.timeoutMs / 1000)),
    pipelining: 1,
    sampleInt: 100,
    // Nothing here reads autocannon's own result: skip its aggregation (decoding and walking its histograms).
    skipAggregateResult: true,
    requests,
    setupClient,
  });
  instance.on('error', () => undefined);
  if (open) setImmediate(pump);

  const progress = o.onProgress ? setInterval(() => {
    const now = clock();
    if (now >= measureFrom) o.onProgress?.(Math.min(now, measureUntil) - measureFrom);
  }, o.progressMs ?? 5000) : undefined;

  const done = new Promise<void>((resolve) => {
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      clearTimeout(endTimer);
      clearTimeout(drainTimer);
      instance.stop();
      resolve();
    };
    let drainTimer: NodeJS.Timeout | undefined;
    const endTimer = setTimeout(() => {
      if (lagStarted) {
        const used = process.cpuUsage(cpuStart);
        cpu = (used.user + used.system) / 1000 / Math.max(1, clock() - wallStart);
        lag.disable();
      }
      draining = true;
      // Let requests sent inside the window finish (up to the request timeout), so slow ones are not dropped.
      drainTimer = setTimeout(stop, o.timeoutMs + 1000);
      settle = () => {
        if (inFlightCount <= 0) stop();
      };
      settle();
    }, measureUntil - clock());
    o.signal?.addEventListener('abort', stop, { once: true });
  });
  await done;
  await new Promise<void>((resolve) => {
    instance.then(() => resolve(), () => resolve());
  });
  clearTimeout(warmupTimer);
  if (pumpTimer) clearTimeout(pumpTimer);
  if (progress) clearInterval(progress);
  const nsToMs = (ns: number): number => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);
  const stats: GeneratorStats = {
    cpu: Math.round(cpu * 1000) / 1000,
    eventLoopLagP99Ms: lagStarted ? nsToMs(lag.percentile(99)) : 0,
    eventLoopLagMaxMs: lagStarted ? nsToMs(lag.max) : 0,
  };
  if (open) {
    stats.targetRate = o.rate;
    stats.sentRate = Math.round((sentMeasured / (o.durationMs / 1000)) * 10) / 10;
    stats.queuedRequests = queued;
  }
  return stats;
}
