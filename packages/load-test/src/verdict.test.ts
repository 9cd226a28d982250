import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareWithBaseline } from './baseline.ts';
import { Collector } from './collector.ts';
import { mergeSummaries } from './merge.ts';
import { renderJunit } from './reports/junit.ts';
import type { RunSummary } from './summary.ts';
import { summarizeCollector } from './summary.ts';
import { parseThreshold } from './threshold.ts';
import { checkThresholds, decide, saturationReasons } from './verdict.ts';

/** A summary of synthetic requests: `latencies` per route (ms), all 200 unless in `errors`. */
function summary(latencies: Record<string, number[]>, o: Partial<RunSummary> = {}, errors: Record<string, number> = {}): RunSummary {
  const names = Object.keys(latencies);
  const c = new Collector(names, 1000);
  names.forEach((n, i) => latencies[n]!.forEach((ms, k) => c.response(i, k < (errors[n] ?? 0) ? 500 : 200, ms, k)));
  return {
    format: 'steg-load-test/v1', verdict: 'pass', saturation: [], limited: { generator: [], connections: [] }, target: 'http://127.0.0.1:1', startedAt: '2026-11-26T10:00:00.000Z',
    durationMs: 10_000, warmupMs: 0, connections: 10, runs: 1, thresholdSpecs: [], thresholds: [], generator: [{ cpu: 0.2, eventLoopLagP99Ms: 5, eventLoopLagMaxMs: 9 }],
    ...summarizeCollector(c, 10_000), ...o,
  };
}

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('saturationReasons', () => {
  const limits = { maxCpu: 0.95, maxLagMs: 100, minRateShare: 0.9 };
  it('names each sign of a saturated generator', () => {
    assert.deepEqual(saturationReasons([{ cpu: 0.5, eventLoopLagP99Ms: 20, eventLoopLagMaxMs: 30, targetRate: 100, sentRate: 95 }], limits), { generator: [], connections: [] });
    const r = saturationReasons([{ cpu: 0.99, eventLoopLagP99Ms: 250, eventLoopLagMaxMs: 400, targetRate: 1000, sentRate: 400, queuedRequests: 600 }], limits);
    assert.equal(r.generator.length, 2);
    assert.match(r.generator[0]!, /used 99% of a CPU core \(limit 95%\)/);
    assert.match(r.generator[1]!, /lagged 250ms at p99 \(limit 100ms\)/);
    assert.deepEqual(r.connections.length, 1);
    assert.match(r.connections[0]!, /sent 400 req\/s of the 1000 req\/s asked for; 600 requests waited for a free connection/);
    // Sending late without any busy connection is the generator's own fault.
    assert.match(saturationReasons([{ cpu: 0.3, eventLoopLagP99Ms: 5, eventLoopLagMaxMs: 9, targetRate: 1000, sentRate: 400, queuedRequests: 0 }], limits).generator[0]!, /sent 400 req\/s/);
  });
  it('never passes or fails on a generator that could not keep time', () => {
    const broken = [{ threshold: 'x', actual: 1, actualText: '1', ok: false }];
    const none = { generator: [], connections: [] };
    assert.equal(decide({ generator: ['lag'], connections: [] }, broken), 'inconclusive');
    assert.equal(decide(none, broken), 'fail');
    assert.equal(decide(none, [], [{ metric: 'p95 latency', baseline: 1, current: 2, changePct: 100, ok: false }]), 'fail');
    assert.equal(decide(none, []), 'pass');
  });
  it('fails a target too slow even for less load than asked, but does not pass it', () => {
    const limited = { generator: [], connections: ['busy'] };
    assert.equal(decide(limited, [{ threshold: 'x', actual: 1, actualText: '1', ok: false }]), 'fail');
    assert.equal(decide(limited, [{ threshold: 'x', actual: 1, actualText: '1', ok: true }]), 'inconclusive');
  });
});

describe('checkThresholds', () => {
  it('reads exact percentiles per route and overall', () => {
    const s = summary({ a: range(100, (i) => i + 1), b: range(100, () => 500) }, {}, { b: 2 });
    const r = checkThresholds(['p(90)<=90.1ms', 'a: p(99)<100ms', 'b: error_rate<=2%', 'b: error_rate<2%', 'max<500ms'].map((t) => parseThreshold(t)), s);
    assert.deepEqual(r.map((x) => [x.threshold, x.ok]), [['p(90)<=90.1ms', false], ['p(99)<100ms', true], ['error_rate<=2%', true], ['error_rate<2%', false], ['max<500ms', false]]);
  });
});

describe('compareWithBaseline', () => {
  const o = { maxRegressionPct: 20, minDeltaMs: 1 };
  it('fails a latency regression over the limit and ignores sub-millisecond noise', () => {
    const base = summary({ a: range(200, () => 100) });
    const worse = summary({ a: range(200, () => 130) });
    assert.deepEqual(compareWithBaseline(worse, base, o).filter((c) => !c.ok).map((c) => c.metric), ['p50 latency', 'p95 latency', 'p99 latency']);
    const fast = summary({ a: range(200, () => 0.2) });
    const fastWorse = summary({ a: range(200, () => 0.5) });
    assert.ok(compareWithBaseline(fastWorse, fast, o).every((c) => c.ok), '+150% of 0.2 ms is noise');
  });
  it('checks throughput only in the closed model', () => {
    const base = summary({ a: range(1000, () => 5) });
    const fewer = summary({ a: range(500, () => 5) });
    assert.equal(compareWithBaseline(fewer, base, o).find((c) => c.metric === 'rps')?.ok, false);
    assert.equal(compareWithBaseline({ ...fewer, rate: 50 }, { ...base, rate: 100 }, o).find((c) => c.metric === 'rps'), undefined);
  });
});

describe('mergeSummaries', () => {
  it('adds counts and histograms exactly and keeps each run\'s saturation', () => {
    const a = summary({ x: range(100, (i) => i + 1) });
    const b = summary({ x: range(100, (i) => 200 + i), y: [7] }, { limited: { generator: ['lagged'], connections: [] } });
    const all = summary({ x: [...range(100, (i) => i + 1), ...range(100, (i) => 200 + i)], y: [7] });
    const m = mergeSummaries([a, b]);
    assert.equal(m.runs, 2);
    assert.equal(m.overall.requests, 201);
    assert.deepEqual(m.overall.latencyMs, all.overall.latencyMs);
    assert.deepEqual(m.routes.x!.latencyMs, all.routes.x!.latencyMs);
    assert.equal(m.routes.y!.requests, 1);
    assert.deepEqual(m.limited, { generator: ['run 2 (http://127.0.0.1:1): lagged'], connections: [] });
    assert.equal(m.timeline[0]!.requests, 201);
  });
});

describe('renderJunit', () => {
  it('has one case per threshold and escapes what it quotes', () => {
    const s = summary({ a: [1] });
    s.thresholds = [{ threshold: 'p(95)<200ms', actual: 1, actualText: '1ms', ok: true }, { threshold: 'avg<1ms', route: 'a<b', actual: 2, actualText: '2ms', ok: false }];
    const xml = renderJunit(s);
    assert.match(xml, /tests="3" failures="1" errors="0"/);
    assert.match(xml, /name="a&lt;b: avg&lt;1ms"[^>]*><failure message="a&lt;b: avg&lt;1ms broken: measured 2ms"/);
  });
});
