import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { Redactor } from '@steg/step-kit';
import { maskArtifacts } from './mask-artifacts.ts';

const SECRET = 'pässwörd-9c1e';

test('masks secrets inside zips (nested too), HTML-embedded report data and text files; leaves media and clean files alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steg-mask-'));
  try {
    mkdirSync(join(dir, 'test-results/t1'), { recursive: true });
    mkdirSync(join(dir, 'html'), { recursive: true });
    const inner = zipSync({ 'page.json': strToU8(`{"url":"/?token=${encodeURIComponent(SECRET)}"}`) });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, ...strToU8(SECRET)]);
    writeFileSync(join(dir, 'test-results/t1/trace.zip'), zipSync({ 'trace.trace': strToU8(`{"type":"fill","value":"${SECRET}"}\n`), 'resources/inner.zip': inner, 'shot.png': png }));
    const report = Buffer.from(zipSync({ 'report.json': strToU8(`{"auth":"${Buffer.from(SECRET).toString('base64')}"}`) })).toString('base64');
    writeFileSync(join(dir, 'html/index.html'), `<script>window.playwrightReportBase64 = "data:application/zip;base64,${report}";</script><p>${SECRET}</p>`);
    writeFileSync(join(dir, 'clean.txt'), 'nothing here');
    writeFileSync(join(dir, 'test-results/t1/shot.png'), png);

    const redactor = new Redactor();
    redactor.add(SECRET);
    const stats = maskArtifacts(dir, redactor);
    assert.deepEqual(stats, { files: 2, occurrences: 4 });

    const trace = unzipSync(readFileSync(join(dir, 'test-results/t1/trace.zip')));
    assert.equal(Buffer.from(trace['trace.trace'] as Uint8Array).toString('utf8'), '{"type":"fill","value":"***"}\n');
    assert.equal(Buffer.from(unzipSync(trace['resources/inner.zip'] as Uint8Array)['page.json'] as Uint8Array).toString('utf8'), '{"url":"/?token=***"}');
    assert.deepEqual(trace['shot.png'], png, 'images inside a zip are not touched');
    const html = readFileSync(join(dir, 'html/index.html'), 'utf8');
    assert.ok(html.endsWith('<p>***</p>'));
    const embedded = /base64,([^"]+)"/.exec(html)?.[1] ?? '';
    assert.equal(Buffer.from(unzipSync(Buffer.from(embedded, 'base64'))['report.json'] as Uint8Array).toString('utf8'), '{"auth":"***"}');
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'test-results/t1/shot.png'))), png, 'image files are not touched');
    assert.equal(readFileSync(join(dir, 'clean.txt'), 'utf8'), 'nothing here');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('does nothing without secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steg-mask-'));
  try {
    writeFileSync(join(dir, 'a.txt'), SECRET);
    assert.deepEqual(maskArtifacts(dir, new Redactor()), { files: 0, occurrences: 0 });
    assert.equal(readFileSync(join(dir, 'a.txt'), 'utf8'), SECRET);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
