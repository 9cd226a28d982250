import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batch } from './batch.ts';
import { DocEncoder } from './ecs-doc.ts';
import { pump } from './pump.ts';

const run = { pipelineName: 'p', pipelineRunId: 'r', serviceName: 's', vcsRepository: '', vcsRevision: '', vcsRef: '', labels: {} };
const src = { taskName: 't', taskRunId: 'tr', stepName: 'st', path: 'build.log' };

/** The messages pump makes of the given chunks. */
async function messages(chunks: string[]): Promise<string[]> {
  const batch = new Batch();
  async function* input(): AsyncGenerator<Buffer> {
    for (const c of chunks) yield Buffer.from(c);
  }
  await pump(input(), new DocEncoder(run, src, '2024-05-01T10:00:00.000Z', undefined), { batch, full: false, written: () => undefined });
  return Array.from({ length: batch.length }, (_, i) => String((JSON.parse(batch.doc(i).toString('utf8')) as { message: string }).message));
}

test('colour codes are stripped, also from a line whose escape came chunks before its end', async () => {
  // The escape is in the first chunk only; the line ends two chunks later, in chunks without one.
  assert.deepEqual(await messages(['a\n\x1b[31mred', 'de', 'st\nb\n', 'c\n']), ['a', 'reddest', 'b', 'c']);
  assert.deepEqual(await messages(['a\n\x1b[31mred', 'de', 'st\x1b', '[0m\nb\n', 'c\n']), ['a', 'reddest', 'b', 'c']);
  assert.deepEqual(await messages(['a\n\x1b[1;31mbold', ' red', ' text\n', 'plain\n']), ['a', 'bold red text', 'plain']);
  assert.deepEqual(await messages(['\x1b]0;title\x07x\n', 'y\n']), ['x', 'y']);
});
