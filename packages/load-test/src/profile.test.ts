import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseProfile, weightedSequence } from './profile.ts';

describe('parseProfile', () => {
  it('reads routes with defaults, JSON bodies and per-route thresholds', () => {
    const p = parseProfile({
      routes: [
        { name: 'summary', path: '/api/summary', headers: { accept: 'application/json' }, weight: 5, thresholds: ['p(99)<300ms'] },
        { name: 'log', method: 'post', path: '/api/steps', body: { steps: 1000 } },
        { name: 'raw', method: 'PUT', path: '/api/raw', body: 'a=1', headers: { 'content-type': 'text/plain' } },
      ],
      thresholds: ['p(95)<200ms', 'error_rate<1%'],
    });
    assert.deepEqual(p.routes[0], { name: 'summary', method: 'GET', path: '/api/summary', headers: { accept: 'application/json' }, weight: 5 });
    assert.deepEqual(p.routes[1], { name: 'log', method: 'POST', path: '/api/steps', headers: { 'content-type': 'application/json' }, body: '{"steps":1000}', weight: 1 });
    assert.equal(p.routes[2]?.body, 'a=1');
    assert.deepEqual(p.thresholds.map((t) => [t.route, t.source]), [['summary', 'p(99)<300ms'], [undefined, 'p(95)<200ms'], [undefined, 'error_rate<1%']]);
  });

  it('reports every problem with where it is', () => {
    assert.throws(
      () => parseProfile({ routes: [{ name: 'a', path: 'no-slash', weight: 0, method: 'FETCH' }, { name: 'a', path: '/x', thresholds: ['p95<1s'] }], thresholds: ['b: p(95)<1s'] }),
      (err: Error) => {
        for (const want of [/path is "no-slash"/, /weight is 0/, /method is "FETCH"/, /"a" is used twice/, /route a: threshold "p95<1s" is malformed/, /names route "b"/]) assert.match(err.message, want);
        return true;
      },
    );
    assert.throws(() => parseProfile({ routes: [] }), /"routes" must be a non-empty list/);
    assert.throws(() => parseProfile('text'), /expected a mapping/);
    assert.throws(() => parseProfile({ routes: [{ name: 'a', path: '/', extra: 1 }] }), /unknown key "extra"/);
  });
});

describe('weightedSequence', () => {
  it('spreads routes in proportion to their weights', () => {
    const seq = weightedSequence([5, 1, 2]);
    assert.equal(seq.length, 8);
    assert.deepEqual([0, 1, 2].map((i) => seq.filter((s) => s === i).length), [5, 1, 2]);
    // Smooth: the heavy route never runs more than twice in a row here.
    assert.ok(!/000/.test(seq.join('')));
    assert.deepEqual(weightedSequence([0.5, 1.5]).length, 4);
  });
});
