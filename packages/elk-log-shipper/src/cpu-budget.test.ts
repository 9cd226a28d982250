import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBudget } from './cpu-budget.ts';

/** A fake cgroup root with the given files. */
function cgroup(files: Record<string, string>): { root: string; [Symbol.dispose](): void } {
  const root = mkdtempSync(join(tmpdir(), 'steg-cgroup-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), `${text}\n`);
  }
  return { root, [Symbol.dispose]: () => rmSync(root, { recursive: true, force: true }) };
}

test('a cgroup v2 quota caps the CPUs; "max" leaves the cores', () => {
  const cores = availableParallelism();
  for (const [max, want] of [['100000 100000', Math.min(cores, 1)], ['50000 100000', Math.min(cores, 0.5)], ['max 100000', cores], ['400000000 100000', cores]] as const) {
    using cg = cgroup({ 'cpu.max': max });
    assert.equal(cpuBudget(cg.root), want, max);
  }
});

test('a cgroup v1 quota caps the CPUs (either directory name); -1 leaves the cores', () => {
  const cores = availableParallelism();
  for (const dir of ['cpu', 'cpu,cpuacct']) {
    using limited = cgroup({ [`${dir}/cpu.cfs_quota_us`]: '100000', [`${dir}/cpu.cfs_period_us`]: '100000' });
    assert.equal(cpuBudget(limited.root), Math.min(cores, 1), dir);
    using unlimited = cgroup({ [`${dir}/cpu.cfs_quota_us`]: '-1', [`${dir}/cpu.cfs_period_us`]: '100000' });
    assert.equal(cpuBudget(unlimited.root), cores, dir);
  }
});

test('no cgroup files, or unreadable ones, leave the cores', () => {
  using none = cgroup({});
  assert.equal(cpuBudget(none.root), availableParallelism());
  using junk = cgroup({ 'cpu.max': 'garbage' });
  assert.equal(cpuBudget(junk.root), availableParallelism());
});
