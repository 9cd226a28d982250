import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, parseThreshold } from './threshold.ts';
import type { ScopeMetrics } from './threshold.ts';

const metrics: ScopeMetrics = {
  percentile: (p) => (p >= 99 ? 480 : p >= 95 ? 210 : 40),
  avg: 55,
  min: 1.5,
  max: 2100,
  errorRate: 0.004,
  rps: 150,
  attempts: 1000,
};

describe('parseThreshold', () => {
  it('reads percentiles, aggregates, error rate and rps with their units', () => {
    assert.deepEqual(parseThreshold('p(95)<200ms'), { source: 'p(95)<200ms', metric: 'p', percentile: 95, op: '<', limit: 200 });
    assert.equal(parseThreshold('p(99.9) <= 1.5s').limit, 1500);
    assert.equal(parseThreshold('max<2s').limit, 2000);
    assert.equal(parseThreshold('avg<500us').limit, 0.5);
    assert.equal(parseThreshold('error_rate<1%').limit, 0.01);
    assert.equal(parseThreshold('error_rate<0.05').limit, 0.05);
    assert.deepEqual(parseThreshold('rps>=100'), { source: 'rps>=100', metric: 'rps', op: '>=', limit: 100 });
  });

  it('scopes a threshold to a route by prefix or by the profile route', () => {
    assert.equal(parseThreshold('summary: p(99)<300ms').route, 'summary');
    assert.equal(parseThreshold('p(99)<300ms', 'summary').route, 'summary');
  });

  it('rejects malformed thresholds with the expected syntax', () => {
    for (const bad of ['p95<200ms', 'p(95)<200', 'p(95)<200%', 'rps>10ms', 'error_rate<2s', 'error_rate<150%', 'p(0)<1ms', 'latency<1s', 'p(95)=200ms', '']) {
      assert.throws(() => parseThreshold(bad), /threshold .*(malformed|needs a unit|takes|cannot|percentile)/, bad);
    }
    assert.throws(() => parseThreshold('p95<200ms'), /expected one like p\(95\)<200ms/);
  });
});

describe('evaluate', () => {
  it('passes and breaks each kind of threshold on the measured value', () => {
    const check = (t: string): boolean => evaluate(parseThreshold(t), metrics).ok;
    assert.equal(check('p(95)<250ms'), true);
    assert.equal(check('p(95)<200ms'), false);
    assert.equal(check('p(99)<500ms'), true);
    assert.equal(check('avg<50ms'), false);
    assert.equal(check('med<50ms'), true);
    assert.equal(check('min<1ms'), false);
    assert.equal(check('max<2s'), false);
    assert.equal(check('error_rate<1%'), true);
    assert.equal(check('error_rate<0.1%'), false);
    assert.equal(check('rps>100'), true);
    assert.equal(check('rps>200'), false);
  });

  it('reports the measured value as people read it', () => {
    assert.equal(evaluate(parseThreshold('error_rate<1%'), metrics).actualText, '0.4%');
    assert.equal(evaluate(parseThreshold('max<2s'), metrics).actualText, '2.1s');
  });

  it('breaks a threshold whose scope saw no requests', () => {
    const r = evaluate(parseThreshold('p(95)<200ms', 'missing'), undefined);
    assert.deepEqual([r.ok, r.actual, r.actualText], [false, null, 'no requests']);
  });
});
