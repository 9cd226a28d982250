// The HTTP layer with a stand-in store: error mapping, draining, HEAD, and that a failing
// database never leaks its error text to the client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, Redactor } from '@steg/step-kit';
import { createApp } from './app.ts';
import type { Store } from './store.ts';

function fakeStore(over: Partial<Store> = {}): Store {
  return {
    ping: async () => undefined,
    schemaReady: async () => true,
    record: async (e) => ({ user: e.user, date: e.date, steps: e.steps, team: e.team ?? null, created: true }),
    entries: async () => [],
    teamSteps: async () => null,
    teams: async () => [],
    close: async () => undefined,
    ...over,
  };
}

async function serve(store: Store, draining = false) {
  const lines: string[] = [];
  const log = createLogger({ format: 'json', sink: { write: (t: string) => lines.push(t) }, redactor: new Redactor(), service: 'step-counter' });
  const server = createServer(createApp({ store, log, version: { name: 'step-counter', version: '1.0.0', commit: 'abc' }, draining: () => draining, now: () => new Date('2026-11-26T12:00:00Z') }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, lines, [Symbol.asyncDispose]: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a database error is a 500 with a generic message; the detail goes only to the log', async () => {
  await using s = await serve(fakeStore({ entries: async () => Promise.reject(new Error('relation "entries" does not exist at 10.0.0.5')) }));
  const res = await fetch(`${s.url}/api/summary?user=astrid`);
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.doesNotMatch(text, /relation|10\.0\.0\.5/);
  assert.ok(s.lines.some((l) => l.includes('relation \\"entries\\" does not exist')), 'logged for the operator');
});

test('validation runs before the store is called', async () => {
  let called = false;
  await using s = await serve(fakeStore({ record: async () => ((called = true), Promise.reject(new Error('unreachable'))) }));
  const res = await fetch(`${s.url}/api/entries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'a', date: '2026-11-20', steps: -1 }) });
  assert.equal(res.status, 400);
  assert.equal(called, false);
});

test('while draining, /readyz fails and responses ask clients to close the connection', async () => {
  await using s = await serve(fakeStore(), true);
  const ready = await fetch(`${s.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.equal(ready.headers.get('connection'), 'close');
  await ready.text();
  assert.equal((await fetch(`${s.url}/healthz`)).status, 200, 'still healthy: draining is not a failure');
});

test('readiness waits for the schema; HEAD answers like GET without a body', async () => {
  await using s = await serve(fakeStore({ schemaReady: async () => false }));
  assert.equal((await fetch(`${s.url}/readyz`)).status, 503);
  const head = await fetch(`${s.url}/version`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});
