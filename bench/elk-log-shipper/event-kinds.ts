// Encoding cost per kind of event (plain [INFO] lines, timestamped lines, JSON lines, stack traces...):
// groups the events of the first 8 MiB of a log by kind and times DocEncoder.write on each group,
// best of three rounds, scaled to 100 MiB. For finding what to make faster, not a peer comparison.
//   node --import tsx bench/elk-log-shipper/event-kinds.ts /tmp/elk-bench/small.log
import { readFileSync } from 'node:fs';
import { Batch } from '../../packages/elk-log-shipper/src/batch.ts';
import { DocEncoder } from '../../packages/elk-log-shipper/src/ecs-doc.ts';
import type { LogEvent } from '../../packages/elk-log-shipper/src/grouper.ts';
import { Grouper } from '../../packages/elk-log-shipper/src/grouper.ts';
import { LineSplitter } from '../../packages/elk-log-shipper/src/line-splitter.ts';

const SLICE_MIB = 8;
const run = { pipelineName: 'build-app', pipelineRunId: 'build-app-run-1', serviceName: 'build-app', vcsRepository: 'https://gitlab.example.com/team/app', vcsRevision: 'abc', vcsRef: 'main', labels: {} };
const enc = new DocEncoder(run, { taskName: 'build', taskRunId: 'build-app-run-1-build', stepName: 'mvn', path: 'build.log' }, new Date().toISOString(), undefined);
const log = readFileSync(process.argv[2] ?? '/tmp/elk-bench/small.log').subarray(0, SLICE_MIB << 20);

const kind = (e: LogEvent): string => {
  if (e.kind !== 'line') return e.kind;
  const first = e.lines[0] ?? '';
  if (first.startsWith('{')) return 'json line';
  if (first.startsWith('[INFO]')) return '[INFO] line';
  if (first.startsWith('[WARN')) return '[WARNING] line';
  return 'other line';
};
const groups = new Map<string, LogEvent[]>();
const grouper = new Grouper((e) => {
  const k = kind(e);
  groups.set(k, [...(groups.get(k) ?? []), e]);
});
const splitter = new LineSplitter((t, o) => grouper.push(t, o));
splitter.push(log);
splitter.end();
grouper.flush();

let batch = new Batch(4 << 20);
const best = new Map<string, number>();
for (let round = 0; round < 3; round++) {
  for (const [k, events] of groups) {
    const t0 = process.hrtime.bigint();
    for (const e of events) {
      enc.write(e, batch);
      if (batch.byteLength > 3 << 20) batch = new Batch(4 << 20, batch.release());
    }
    const perEvent = Number(process.hrtime.bigint() - t0) / events.length;
    best.set(k, Math.min(best.get(k) ?? Infinity, perEvent));
  }
}
const scale = 100 / SLICE_MIB;
let total = 0;
for (const [k, perEvent] of best) {
  const ms = (perEvent * (groups.get(k)?.length ?? 0) * scale) / 1e6;
  total += ms;
  console.log(`${k.padEnd(16)} ${perEvent.toFixed(0).padStart(6)} ns per event ${ms.toFixed(0).padStart(5)} ms per 100 MiB`);
}
console.log(`${'all'.padEnd(16)} ${''.padStart(6)}                  ${total.toFixed(0).padStart(5)} ms per 100 MiB`);
