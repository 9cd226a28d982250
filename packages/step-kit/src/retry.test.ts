import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffDelay, fetchWithRetry, HttpStatusError, NetworkError, retry } from './retry.ts';

/** A loopback server that answers each request with the next planned status (or hangs for 'hang'). */
async function plannedServer(plan: (number | 'hang')[]) {
  let hits = 0;
  const server = createServer((req, res) => {
    const step = plan[Math.min(hits++, plan.length - 1)];
    if (step === 'hang') return;
    if (step === 429) res.setHeader('retry-after', '0');
    res.writeHead(step as number, { 'content-type': 'text/plain' }).end(`status ${step}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    hits: () => hits,
    [Symbol.asyncDispose]: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const fast = { minDelayMs: 1, maxDelayMs: 5 };

test('retries 503 and 429 until a success', async () => {
  await using s = await plannedServer([503, 429, 200]);
  const res = await fetchWithRetry(s.url, {}, { ...fast, retries: 3 });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'status 200');
  assert.equal(s.hits(), 3);
});

test('returns a non-retryable status at once', async () => {
  await using s = await plannedServer([404, 200]);
  const res = await fetchWithRetry(s.url, {}, fast);
  assert.equal(res.status, 404);
  assert.equal(s.hits(), 1);
});

test('gives up after the bounded retries with the last status', async () => {
  await using s = await plannedServer([503]);
  await assert.rejects(fetchWithRetry(s.url, {}, { ...fast, retries: 2 }), (e: unknown) => e instanceof HttpStatusError && e.status === 503);
  assert.equal(s.hits(), 3);
});

test('times out a hanging attempt and retries it', async () => {
  await using s = await plannedServer(['hang', 200]);
  const res = await fetchWithRetry(s.url, {}, { ...fast, timeoutMs: 200 });
  assert.equal(res.status, 200);
  assert.equal(s.hits(), 2);
});

test('a refused connection is a NetworkError naming the URL, retried then thrown', async () => {
  let tries = 0;
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const url = `http://127.0.0.1:${port}/x`;
  await assert.rejects(
    fetchWithRetry(url, {}, { ...fast, retries: 2, onRetry: () => tries++ }),
    (e: unknown) => e instanceof NetworkError && e.message === `cannot reach ${url}: ECONNREFUSED`,
  );
  assert.equal(tries, 2);
});

test('stops retrying when the step deadline aborts', async () => {
  const ac = new AbortController();
  let attempts = 0;
  const p = retry(async () => {
    attempts++;
    if (attempts === 2) ac.abort(new Error('deadline'));
    throw new Error('flaky');
  }, { retries: 10, minDelayMs: 1, maxDelayMs: 2, signal: ac.signal });
  await assert.rejects(p);
  assert.equal(attempts, 2);
});

test('backoff grows exponentially, is capped, and is jittered', () => {
  const lo = { minDelayMs: 100, maxDelayMs: 1000, random: () => 0 };
  const hi = { ...lo, random: () => 1 };
  assert.equal(backoffDelay(0, hi), 100);
  assert.equal(backoffDelay(2, hi), 400);
  assert.equal(backoffDelay(10, hi), 1000);
  assert.equal(backoffDelay(10, lo), 50);
});

test('non-retryable errors are thrown at once', async () => {
  let attempts = 0;
  await assert.rejects(retry(async () => { attempts++; throw new TypeError('bug'); }, { isRetryable: (e) => !(e instanceof TypeError), ...fast }));
  assert.equal(attempts, 1);
});
