import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { testdir } from '@steg/test-support';
import { findSuiteConfig } from './find-suite.ts';

test('finds the config in the root, e2e/ or tests/', () => {
  using a = testdir({ 'e2e/playwright.config.ts': 'export default {}' });
  assert.equal(findSuiteConfig(a.path), join(a.path, 'e2e/playwright.config.ts'));
  using b = testdir({ 'playwright.config.mjs': 'export default {}', 'e2e/playwright.config.ts': '' });
  assert.equal(findSuiteConfig(b.path), join(b.path, 'playwright.config.mjs'));
  assert.equal(findSuiteConfig(b.path, 'e2e/playwright.config.ts'), join(b.path, 'e2e/playwright.config.ts'));
});

test('no suite is bad input that says where it looked', () => {
  using empty = testdir({ 'README.md': 'no tests' });
  assert.throws(() => findSuiteConfig(empty.path), /param suite is ".*", expected a workspace with a Playwright suite: found no config \(looked for playwright.config.\*, e2e\/playwright.config.\*/);
  assert.throws(() => findSuiteConfig(join(empty.path, 'missing')), /it does not exist/);
  assert.throws(() => findSuiteConfig(empty.path, 'nope.config.ts'), /param config is "nope.config.ts"/);
});
