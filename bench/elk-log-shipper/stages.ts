// Where the time goes: reads a log and runs the shipper's stages cumulatively (split, group,
// encode into the bulk body, gzip), printing CPU time per stage. Used to find hot spots, not a peer comparison.
//   node --import tsx bench/elk-log-shipper/stages.ts /tmp/elk-bench/build.log
import { createReadStream } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { DocEncoder } from '../../packages/elk-log-shipper/src/ecs-doc.ts';
import { Grouper } from '../../packages/elk-log-shipper/src/grouper.ts';
import { LineSplitter } from '../../packages/elk-log-shipper/src/line-splitter.ts';
import { Batch } from '../../packages/elk-log-shipper/src/batch.ts';

const file = process.argv[2] ?? '/tmp/elk-bench/small.log';
const run = { pipelineName: 'build-app', pipelineRunId: 'build-app-run-1', serviceName: 'build-app', vcsRepository: 'https://gitlab.example.com/team/app', vcsRevision: 'abc', vcsRef: 'main', labels: {} };

async function stage(name: string, depth: number): Promise<void> {
  const t0 = process.cpuUsage();
  let bytes = 0;
  let n = 0;
  let out = 0;
  const enc = new DocEncoder(run, { taskName: 'build', taskRunId: 'build-app-run-1-build', stepName: 'mvn', path: 'build.log' }, new Date().toISOString(), undefined);
  let batch = new Batch(3 << 20);
  const grouper = new Grouper((e) => {
    n++;
    if (depth < 3) return;
    enc.write(e, batch);
    if (batch.length >= 5000) {
      const body = batch.bulk();
      batch = new Batch(3 << 20, batch.release());
      if (depth < 4) out += body.length;
      else out += gzipSync(body, { level: constants.Z_BEST_SPEED }).length;
    }
  });
  const splitter = new LineSplitter((t, o) => {
    if (depth >= 2) grouper.push(t, o);
  });
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 })) {
    bytes += (c as Buffer).length;
    if (depth >= 1) splitter.push(c as Buffer);
  }
  const u = process.cpuUsage(t0);
  const s = (u.user + u.system) / 1e6;
  console.log(`${name.padEnd(28)} cpu ${s.toFixed(2)} s  ${(bytes / 1048576 / s).toFixed(1)} MiB/s  events ${n}  out ${(out / 1048576).toFixed(0)} MiB`);
}

await stage('read', 0);
await stage('read+split', 1);
await stage('read+split+group', 2);
await stage('+encode into bulk body', 3);
await stage('+gzip level 1', 4);
