import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_IDENT, buildName, fixtureName, quoteIdent, quoteLiteral, slug, templateName } from './names.ts';

test('fixture names are valid identifiers of at most 63 characters, from any run id', () => {
  for (const run of ['build-42', 'Release/1.2 — ünïcode', '', 'x'.repeat(200), '---']) {
    const n = fixtureName('steg_fx', run);
    assert.match(n, /^[a-z][a-z0-9_]*$/);
    assert.ok(n.length <= MAX_IDENT, n);
  }
  assert.equal(fixtureName('steg_fx', 'Pipeline-Run 7', 'abcd1234'), 'steg_fx_pipeline_run_7_abcd1234');
  assert.equal(fixtureName('steg_fx', '', 'abcd1234'), 'steg_fx_abcd1234');
});

test('two fixtures of one run get different names', () => {
  assert.notEqual(fixtureName('steg_fx', 'run'), fixtureName('steg_fx', 'run'));
});

test('slug keeps [a-z0-9_] and trims separators', () => {
  assert.equal(slug('  My--Run__1 ', 20), 'my_run_1');
  assert.equal(slug('abc_def', 4), 'abc');
});

test('template and build names carry the hash', () => {
  const h = 'a'.repeat(64);
  assert.equal(templateName('steg_fx', h), `steg_fx_tpl_${'a'.repeat(24)}`);
  assert.match(buildName('steg_fx', h), /^steg_fx_bld_a{12}_[a-z0-9]{8}$/);
});

test('quoting doubles quotes', () => {
  assert.equal(quoteIdent('a"b'), '"a""b"');
  assert.equal(quoteLiteral("it's"), "'it''s'");
});
