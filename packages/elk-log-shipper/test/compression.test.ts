// gzip on the main thread (one CPU) and in the thread pool (more) must send the same documents.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Batch } from '../src/batch.ts';
import { HttpClient } from '../src/http.ts';
import { ElasticsearchTransport, LogstashTransport } from '../src/transports.ts';
import { EsDouble } from './doubles/es-double.ts';

function batch(): Batch {
  const b = new Batch();
  for (let i = 0; i < 50; i++) b.add({ id: `c-${i}`, json: `{"@timestamp":"2024-05-01T10:00:00.000Z","message":"line ${i} Grüße"}` });
  return b;
}

for (const inPlace of [true, false]) {
  const where = inPlace ? 'on the main thread' : 'in the thread pool';

  test(`Elasticsearch: gzip ${where} sends every document, gzip-encoded`, async () => {
    await using es = await new EsDouble().start();
    const http = new HttpClient(es.url, { timeoutMs: 5000 });
    try {
      const out = await new ElasticsearchTransport(http, 'logs-steg.gz', true, inPlace).send(batch(), new AbortController().signal);
      assert.equal(out.kind, 'items');
      assert.equal(es.bulks[0]?.gzip, true);
      const docs = es.docs('logs-steg.gz');
      assert.equal(docs.size, 50);
      assert.equal((JSON.parse(docs.get('c-49') ?? '{}') as { message: string }).message, 'line 49 Grüße');
    } finally {
      http.close();
    }
  });

  test(`Logstash: gzip ${where} sends every event, gzip-encoded`, async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        assert.equal(req.headers['content-encoding'], 'gzip');
        got.push(...gunzipSync(Buffer.concat(chunks)).toString('utf8').trim().split('\n'));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const http = new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { timeoutMs: 5000 });
    try {
      const out = await new LogstashTransport(http, true, inPlace).send(batch(), new AbortController().signal);
      assert.equal(out.kind, 'items');
      assert.equal(got.length, 50);
      assert.deepEqual(JSON.parse(got[7] ?? '{}'), { '@timestamp': '2024-05-01T10:00:00.000Z', message: 'line 7 Grüße', 'event.id': 'c-7' });
    } finally {
      http.close();
      server.close();
    }
  });
}
