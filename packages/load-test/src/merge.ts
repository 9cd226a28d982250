import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeHistogram, mergeHistograms } from './histogram.ts';
import type { RunSummary, TimelinePoint } from './summary.ts';
import { combineScopes, scopeData, summarizeScope, timelinePoint } from './summary.ts';

export const SUMMARY_FILE = 'summary.json';

/**
 * Finds summary files: each input is a summary file, or a directory searched two levels deep
 * for summary.json. The merge's own output (`exclude`) is skipped, so merging again never counts it twice.
 */
export function findSummaries(inputs: string[], exclude?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory() && depth > 0) walk(p, depth - 1);
      else if (st.isFile() && name === SUMMARY_FILE && (!exclude || resolve(dir) !== resolve(exclude))) out.push(p);
    }
  };
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`${input} does not exist`);
    if (statSync(input).isDirectory()) walk(input, 2);
    else out.push(input);
  }
  return [...new Set(out)];
}

/** Reads and checks a summary file written by this step. */
export function readSummary(file: string): RunSummary {
  let doc: RunSummary;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as RunSummary;
  } catch (err) {
    throw new Error(`${file} is not a readable summary (${(err as Error).message.split('\n')[0]})`, { cause: err });
  }
  if (doc?.format !== 'steg-load-test/v1' || !doc.overall?.histogram) throw new Error(`${file} is not a steg load-test summary (format steg-load-test/v1)`);
  try {
    decodeHistogram(doc.overall.histogram);
  } catch {
    throw new Error(`${file} holds a histogram that cannot be decoded`);
  }
  return doc;
}

/**
 * Merges the summaries of runs that loaded the target at the same time (a Tekton matrix):
 * histograms are added exactly, counts summed, and rates taken over the longest run.
 * Thresholds and the verdict are decided afresh by the caller.
 */
export function mergeSummaries(parts: RunSummary[]): Omit<RunSummary, 'verdict' | 'saturation' | 'thresholds' | 'baseline'> {
  const first = parts[0] as RunSummary;
  const durationMs = Math.max(...parts.map((p) => p.durationMs));
  const routeNames = [...new Set(parts.flatMap((p) => Object.keys(p.routes)))];
  const routes: RunSummary['routes'] = {};
  for (const name of routeNames) {
    routes[name] = summarizeScope(combineScopes(parts.flatMap((p) => (p.routes[name] ? [scopeData(p.routes[name])] : []))), durationMs);
  }
  const overall = summarizeScope(combineScopes(parts.map((p) => scopeData(p.overall))), durationMs);
  const bucketMs = Math.max(...parts.map((p) => p.timelineBucketMs));
  const slots = new Map<number, TimelinePoint[]>();
  for (const p of parts) for (const pt of p.timeline) {
    const i = Math.floor(pt.t / bucketMs);
    slots.set(i, [...(slots.get(i) ?? []), pt]);
  }
  const timeline = [...slots.keys()].sort((a, b) => a - b).map((i) => {
    const pts = slots.get(i) as TimelinePoint[];
    const h = mergeHistograms(pts.map((pt) => decodeHistogram(pt.histogram)), 2);
    return timelinePoint(i * bucketMs, pts.reduce((a, pt) => a + pt.requests, 0), pts.reduce((a, pt) => a + pt.errors, 0), h);
  });
  const rates = parts.map((p) => p.rate).filter((r): r is number => r != null);
  return {
    format: 'steg-load-test/v1',
    target: [...new Set(parts.map((p) => p.target))].join(', '),
    startedAt: parts.map((p) => p.startedAt).sort()[0] as string,
    durationMs,
    warmupMs: first.warmupMs,
    connections: parts.reduce((a, p) => a + p.connections, 0),
    ...(rates.length === parts.length ? { rate: rates.reduce((a, b) => a + b, 0) } : {}),
    runs: parts.reduce((a, p) => a + p.runs, 0),
    thresholdSpecs: [...new Set(parts.flatMap((p) => p.thresholdSpecs))],
    overall,
    routes,
    // Each run judged its own generator against its own limits; a saturated run taints the merge.
    limited: {
      generator: parts.flatMap((p, i) => p.limited.generator.map((r) => prefix(parts, i, r))),
      connections: parts.flatMap((p, i) => p.limited.connections.map((r) => prefix(parts, i, r))),
    },
    generator: parts.flatMap((p) => p.generator),
    timelineBucketMs: bucketMs,
    timeline,
  };
}

function prefix(parts: RunSummary[], i: number, reason: string): string {
  return parts.length > 1 ? `run ${i + 1} (${parts[i]?.target}): ${reason}` : reason;
}
