// Faults the shipper must survive with zero loss and zero duplicates. They need fault
// injection, so they run against the double only (skipped when ELASTICSEARCH_URL is set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { ship, spawnShipper, startEs } from './helpers.ts';

const real = process.env.ELASTICSEARCH_URL != null;

/** A log of n events (single lines, with a stack trace every 50 lines). */
function bigLog(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 50 === 7) out.push(`java.lang.RuntimeException: failure ${i}`, `\tat com.example.Step.run(Step.java:${i})`);
    else out.push(`[INFO] line ${i} of the build ${'x'.repeat(i % 40)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The ids a clean run gives: ship once into a fresh double with no faults. */
async function expectedIds(ws: string, args: string[]): Promise<string[]> {
  const r = await ship([`--workspace=${ws}`, ...args, '--output=file', '--output-file=expected.ndjson']);
  assert.equal(r.code, 0, r.stderr);
  return readFileSync(join(ws, 'expected.ndjson'), 'utf8').trim().split('\n').map((l) => String((JSON.parse(l) as Record<string, unknown>)['event.id']));
}

const CONTEXT = ['--pipeline-run=run-f', '--task-run=run-f-build', '--step-name=build', '--files=build.log'];

async function assertExactlyOnce(es: Awaited<ReturnType<typeof startEs>>, index: string, ids: string[]): Promise<void> {
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.equal(await es.count(index), ids.length, 'count equals lines shipped');
  const found = await es.found(index, ids);
  assert.equal(found.size, ids.length, 'every document is there');
}

test('a 429 storm: whole-request 429s and 503s are retried with backoff until everything is in', { skip: real }, async () => {
  await using es = await startEs();
  const d = es.double as NonNullable<typeof es.double>;
  using ws = testdir({ 'build.log': bigLog(3000) });
  const ids = await expectedIds(ws.path, CONTEXT);
  const index = es.newIndex();
  d.requestFaults.push(...Array.from({ length: 6 }, (_, i) => ({ kind: 'status' as const, status: (i % 2 ? 503 : 429) as 429 | 503 })));
  const r = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=500', '--retries=10', ...CONTEXT]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.degraded, 'false');
  assert.equal(r.results.shipped, String(ids.length));
  await assertExactlyOnce(es, index, ids);
});

test('partial bulk failures: only the items refused with 429/503 are sent again', { skip: real }, async () => {
  await using es = await startEs();
  const d = es.double as NonNullable<typeof es.double>;
  using ws = testdir({ 'build.log': bigLog(2000) });
  const ids = await expectedIds(ws.path, CONTEXT);
  const index = es.newIndex();
  let k = 0;
  const refused = new Set<string>();
  d.itemFault = (id, attempt) => {
    if (attempt > 2) return undefined;
    if (k++ % 7 !== 0) return undefined;
    refused.add(id);
    return attempt === 1 ? 429 : 503;
  };
  const r = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=400', ...CONTEXT]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.failed, '0');
  assert.ok(refused.size > 0);
  // Every id sent more than once was one the double refused.
  const sent = new Map<string, number>();
  for (const b of d.bulks) for (const id of b.ids) sent.set(id, (sent.get(id) ?? 0) + 1);
  for (const [id, n] of sent) if (n > 1) assert.ok(refused.has(id), `${id} was sent ${n} times but never refused`);
  await assertExactlyOnce(es, index, ids);
});

test('dropped connections, before and after Elasticsearch stored the batch', { skip: real }, async () => {
  await using es = await startEs();
  const d = es.double as NonNullable<typeof es.double>;
  using ws = testdir({ 'build.log': bigLog(3000) });
  const ids = await expectedIds(ws.path, CONTEXT);
  const index = es.newIndex();
  d.requestFaults.push({ kind: 'drop-after' }, { kind: 'drop-before' }, { kind: 'drop-after' });
  const r = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=700', ...CONTEXT]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.degraded, 'false');
  assert.ok(Number(r.results.shipped) === ids.length);
  await assertExactlyOnce(es, index, ids);
});

test('retries that run out spool the rest; the next run ships the spool, nothing lost or doubled', { skip: real }, async () => {
  await using es = await startEs();
  const d = es.double as NonNullable<typeof es.double>;
  using ws = testdir({ 'build.log': bigLog(2000) });
  const ids = await expectedIds(ws.path, CONTEXT);
  const index = es.newIndex();
  let calls = 0;
  d.itemFault = () => (calls++ > 600 ? 429 : undefined);
  const r = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=300', '--retries=2', ...CONTEXT]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.degraded, 'true');
  assert.ok(Number(r.results.spooled) > 0);
  d.itemFault = undefined;
  const again = await ship([`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=300', ...CONTEXT]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.results.degraded, 'false');
  await assertExactlyOnce(es, index, ids);
});

test('killed with SIGKILL mid-run and run again: every line is in the index exactly once', { skip: real }, async () => {
  await using es = await startEs();
  const d = es.double as NonNullable<typeof es.double>;
  using ws = testdir({});
  writeFileSync(join(ws.path, 'build.log'), bigLog(60_000));
  const ids = await expectedIds(ws.path, CONTEXT);
  const index = es.newIndex();
  const args = [`--workspace=${ws.path}`, `--url=${es.url}`, `--index=${index}`, '--batch-count=1000', ...CONTEXT];
  const child = spawnShipper(args);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // Kill it once a few batches are in, well before the end.
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (d.bulks.length >= 3) {
        clearInterval(t);
        child.kill('SIGKILL');
        resolve();
      }
    }, 5);
    child.on('exit', (code) => {
      clearInterval(t);
      if (d.bulks.length < 3) reject(new Error(`shipper ended before it was killed (code ${code}): ${stderr}`));
    });
  });
  await new Promise((r) => child.once('close', r));
  const partial = await es.count(index);
  assert.ok(partial > 0 && partial < ids.length, `killed mid-run (${partial} of ${ids.length})`);
  const r = await ship(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.shipped, String(ids.length));
  await assertExactlyOnce(es, index, ids);
});
