import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readChunks } from './read-chunks.ts';

test('reads a file whole, chunk by chunk, into one reused buffer; an empty file gives no chunk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'read-chunks-'));
  try {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
    writeFileSync(join(dir, 'a.log'), data);
    writeFileSync(join(dir, 'empty.log'), '');
    const copies: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    for await (const chunk of readChunks(join(dir, 'a.log'), 4096)) {
      assert.ok(chunk.length <= 4096);
      copies.push(Buffer.from(chunk));
      memory.add(chunk.buffer);
    }
    assert.deepEqual(Buffer.concat(copies), data);
    assert.equal(copies.length, Math.ceil(data.length / 4096));
    assert.equal(memory.size, 1);
    let chunks = 0;
    for await (const _ of readChunks(join(dir, 'empty.log'))) chunks++;
    assert.equal(chunks, 0);
    await assert.rejects(readChunks(join(dir, 'missing.log')).next(), { code: 'ENOENT' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
