import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, Redactor } from '@steg/step-kit';
import type { Batch } from './batch.ts';
import type { Parking, SendOutcome, Transport } from './shipper.ts';
import { Shipper } from './shipper.ts';
import { FileTransport } from './transports.ts';

const log = createLogger({ format: 'text', sink: { write: () => undefined }, redactor: new Redactor(), service: 'test' });
const parking: Parking = {
  spool: () => Promise.reject(new Error('nothing should be spooled')),
  deadLetter: () => Promise.reject(new Error('nothing should be dead-lettered')),
};

/** A transport that answers when the test says so, and records what was in flight. */
class SlowTransport implements Transport {
  inFlight = 0;
  maxInFlight = 0;
  readonly ids: string[] = [];
  /** The memory each batch was in: its ArrayBuffer and offset (small buffers can share one). */
  readonly memory = new Map<ArrayBufferLike, Set<number>>();
  private readonly waiting: (() => void)[] = [];

  async send(batch: Batch): Promise<SendOutcome> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const body = batch.bulk();
    this.memory.set(body.buffer, (this.memory.get(body.buffer) ?? new Set()).add(body.byteOffset));
    for (let i = 0; i < batch.length; i++) this.ids.push(batch.id(i));
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight--;
    return { kind: 'items', outcomes: Array.from({ length: batch.length }, () => ({ ok: true, existed: false })) };
  }

  /** Answers the oldest request. */
  answer(): boolean {
    const next = this.waiting.shift();
    next?.();
    return next != null;
  }
}

function shipper(transport: Transport, batchCount: number): Shipper {
  return new Shipper({ transport, parking, log, signal: new AbortController().signal, batchBytes: 1 << 20, batchCount, retries: 0 });
}

test('three bulk requests in flight at most, the caller waits for the fourth, flush waits for all', async () => {
  const t = new SlowTransport();
  const s = shipper(t, 10);
  let waits = 0;
  const answering = setInterval(() => t.answer(), 1);
  try {
    for (let i = 0; i < 200; i++) {
      const w = s.add({ id: `d-${i}`, json: `{"n":${i}}` });
      if (w) {
        waits++;
        await w;
      }
    }
    await s.flush();
  } finally {
    clearInterval(answering);
  }
  assert.equal(t.maxInFlight, 3);
  assert.ok(waits > 0, 'the caller waited while three requests were out');
  assert.deepEqual([...t.ids].sort(), Array.from({ length: 200 }, (_, i) => `d-${i}`).sort());
  assert.equal(s.stats.shipped, 200);
  assert.equal(s.stats.requests, 20);
  // Batches reuse the memory of the ones that went out: a handful of buffers for 20 batches.
  const buffers = [...t.memory.values()].reduce((n, offsets) => n + offsets.size, 0);
  assert.ok(buffers <= 5, `${buffers} buffers for 20 batches`);
});

test('a transport that throws fails the flush, not silently', async () => {
  const broken: Transport = { send: () => Promise.reject(new Error('transport broke')) };
  const s = shipper(broken, 1);
  void s.add({ id: 'a', json: '{}' })?.catch(() => undefined);
  await assert.rejects(s.flush(), /transport broke/);
});

test('the file target keeps batches whole and in order with three in flight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steg-shipper-'));
  try {
    const s = shipper(new FileTransport(join(dir, 'out.ndjson')), 500);
    // Large documents, so each append is a write that could interleave with another.
    const pad = 'x'.repeat(2000);
    for (let i = 0; i < 5000; i++) {
      const w = s.add({ id: `d-${i}`, json: `{"n":${i},"pad":"${pad}"}` });
      if (w) await w;
    }
    await s.flush();
    const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { n: number }).n), Array.from({ length: 5000 }, (_, i) => i));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
