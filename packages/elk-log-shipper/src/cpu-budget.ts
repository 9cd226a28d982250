import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The CPUs this process may use: the cores it may run on, capped by its cgroup's CPU quota. A
 * Kubernetes CPU limit is such a quota, and os.availableParallelism() does not read it (a step
 * limited to one CPU on a 16-core node sees 16).
 */
export function cpuBudget(cgroupRoot = '/sys/fs/cgroup'): number {
  const cores = availableParallelism();
  const quota = cgroupQuota(cgroupRoot);
  return quota === undefined ? cores : Math.min(cores, quota);
}

/** The cgroup CPU quota in CPUs (cgroup v2 cpu.max, else v1 cfs_quota_us / cfs_period_us), or undefined when there is none. */
function cgroupQuota(root: string): number | undefined {
  const v2 = read(`${root}/cpu.max`);
  if (v2 !== undefined) {
    // "<quota> <period>", or "max <period>" without a limit.
    const [quota, period] = v2.split(/\s+/);
    return ratio(quota, period);
  }
  for (const dir of ['cpu', 'cpu,cpuacct']) {
    const quota = read(`${root}/${dir}/cpu.cfs_quota_us`);
    if (quota !== undefined) return ratio(quota, read(`${root}/${dir}/cpu.cfs_period_us`));
  }
  return undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** quota / period in CPUs; undefined for "max", v1's -1 or anything unreadable. */
function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : undefined;
}
