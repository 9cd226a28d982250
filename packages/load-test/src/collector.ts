import type { Histogram } from './histogram.ts';
import { histogramValue, latencyHistogram } from './histogram.ts';

/** Counts and latencies of one route while the load runs. */
export interface RouteStats {
  name: string;
  hist: Histogram;
  /** Responses by status code. */
  status: Map<number, number>;
  timeouts: number;
  /** Connection errors by code (ECONNREFUSED, ECONNRESET, ...). */
  connErrors: Map<string, number>;
}

/** One slice of the timeline. */
export interface Bucket {
  hist: Histogram;
  requests: number;
  errors: number;
}

/** Records every measured request: latency per route and per time slice, errors by kind. */
export class Collector {
  readonly routes: RouteStats[];
  readonly buckets: Bucket[] = [];
  /** Requests and errors since the last progress line. */
  recent = { requests: 0, errors: 0 };

  constructor(routeNames: string[], readonly bucketMs: number) {
    this.routes = routeNames.map((name) => ({ name, hist: latencyHistogram(), status: new Map(), timeouts: 0, connErrors: new Map() }));
  }

  /** A response: `at` is its send time in ms from the start of measurement. */
  response(route: number, code: number, latencyMs: number, at: number): void {
    const r = this.routes[route] as RouteStats;
    // One conversion for both histograms.
    const us = histogramValue(latencyMs);
    r.hist.recordValue(us);
    r.status.set(code, (r.status.get(code) ?? 0) + 1);
    const b = this.bucket(at);
    b.hist.recordValue(us);
    b.requests++;
    this.recent.requests++;
    if (code < 200 || code > 299) {
      b.errors++;
      this.recent.errors++;
    }
  }

  /** A request that got no answer within the timeout. */
  timeout(route: number, at: number): void {
    (this.routes[route] as RouteStats).timeouts++;
    this.failed(at);
  }

  /** A request lost to a connection error. */
  connError(route: number, code: string, at: number): void {
    const m = (this.routes[route] as RouteStats).connErrors;
    m.set(code, (m.get(code) ?? 0) + 1);
    this.failed(at);
  }

  private failed(at: number): void {
    const b = this.bucket(at);
    b.errors++;
    this.recent.errors++;
  }

  private bucket(at: number): Bucket {
    const i = Math.max(0, Math.floor(at / this.bucketMs));
    while (this.buckets.length <= i) this.buckets.push({ hist: latencyHistogram(2), requests: 0, errors: 0 });
    return this.buckets[i] as Bucket;
  }
}
