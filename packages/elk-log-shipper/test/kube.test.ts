import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testdir } from '@steg/test-support';
import type { TaskRun } from '../src/kube.ts';
import { KubeDouble } from './doubles/kube-double.ts';
import type { LogLine } from './doubles/kube-double.ts';
import { ship, startEs } from './helpers.ts';

const NS = 'team-a';
const PR = 'build-app-run-7';
const TOKEN = 'CANARY-sa-token-5e6f';

function tr(name: string, task: string, pod: string, steps: TaskRun['status'] extends infer S ? S extends { steps?: infer X } ? X : never : never, pr = PR): TaskRun {
  return {
    metadata: { name, labels: { 'tekton.dev/pipelineRun': pr, 'tekton.dev/pipeline': 'build-app', 'tekton.dev/pipelineTask': task, 'tekton.dev/task': `steg-${task}` } },
    spec: { taskRef: { name: `steg-${task}` } },
    status: { podName: pod, startTime: `2024-05-01T10:0${name.length % 10}:00Z`, steps },
  };
}

const t = (s: number): string => `2024-05-01T10:00:${String(s).padStart(2, '0')}.123456789Z`;
const LOGS: Record<string, Record<string, LogLine[]>> = {
  'clone-pod': { 'step-clone': [[t(1), 'Cloning into /workspace/source'], [t(2), 'HEAD is now at abc123']] },
  'test-pod': {
    'step-unit': [[t(3), '[INFO] Running com.example.StepsTest'], [t(4), 'java.lang.OutOfMemoryError: Java heap space'], [t(4), '\tat com.example.Steps.total(Steps.java:5)'], [t(5), '[ERROR] BUILD FAILURE']],
    'step-report': [[t(6), 'never runs']],
  },
  'finally-pod': { 'step-ship': [[t(9), 'shipping']] },
};

function taskRuns(): TaskRun[] {
  return [
    tr('build-app-run-7-clone', 'clone', 'clone-pod', [{ name: 'clone', container: 'step-clone', terminated: { exitCode: 0, reason: 'Completed' } }]),
    tr('build-app-run-7-test', 'test', 'test-pod', [
      { name: 'unit', container: 'step-unit', terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2024-05-01T10:00:05Z' } },
      { name: 'report', container: 'step-report', terminated: { exitCode: 1, reason: 'Error' } },
    ]),
    tr('build-app-run-7-image', 'image', 'image-pod', [{ name: 'build', container: 'step-build', waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/builder:1.2"' } }]),
    tr('build-app-run-7-ship', 'ship-logs', 'finally-pod', [{ name: 'ship', container: 'step-ship', running: { startedAt: t(9) } }]),
    tr('other-run-1-clone', 'clone', 'other-pod', [{ name: 'clone', terminated: { exitCode: 0 } }], 'other-run-1'),
  ];
}

test('reads the PipelineRun\'s TaskRuns and step logs through the Kubernetes API', async () => {
  const real = process.env.KUBE_API_URL;
  await using kube = await new KubeDouble({ token: TOKEN, namespace: NS, taskRuns: taskRuns(), logs: LOGS }).start();
  await using es = await startEs();
  using ws = testdir({ token: process.env.KUBE_TOKEN ?? TOKEN });
  const index = es.newIndex();
  const r = await ship([
    `--workspace=${ws.path}`, '--input=kubernetes', `--kube-api-url=${real ?? kube.url}`, `--kube-token-file=${ws.path}/token`,
    `--namespace=${process.env.KUBE_NAMESPACE ?? NS}`, `--pipeline-run=${process.env.KUBE_PIPELINE_RUN ?? PR}`, `--url=${es.url}`, `--index=${index}`,
  ], { ...es.authEnv, HOSTNAME: 'finally-pod' });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/CANARY/.test(r.stderr + r.stdout));
  if (real) {
    assert.ok(Number(r.results.shipped) > 0);
    return;
  }
  assert.ok(kube.requests.some((q) => q.includes('labelSelector=tekton.dev%2FpipelineRun%3Dbuild-app-run-7')));
  assert.ok(!kube.requests.some((q) => q.includes('finally-pod')), 'its own pod is skipped');
  const docs = await es.sources(index);
  const lines = docs.filter((d) => d['event.action'] == null);
  assert.equal(lines.length, 2 + 3 + 1);
  const clone = lines.find((d) => d.message === 'Cloning into /workspace/source') as Record<string, unknown>;
  assert.equal(clone['@timestamp'], '2024-05-01T10:00:01.123Z');
  assert.equal(clone['cicd.pipeline.name'], 'build-app');
  assert.equal(clone['cicd.pipeline.run.id'], PR);
  assert.equal(clone['cicd.pipeline.task.name'], 'clone');
  assert.equal(clone['cicd.pipeline.task.run.id'], 'build-app-run-7-clone');
  assert.equal(clone['cicd.pipeline.task.step.name'], 'clone');
  const oom = lines.find((d) => String(d.message).startsWith('java.lang.OutOfMemoryError')) as Record<string, unknown>;
  assert.equal(oom['error.type'], 'out-of-memory');
  const summaries = docs.filter((d) => d['event.action'] === 'step-failed');
  const byStep = Object.fromEntries(summaries.map((d) => [d['cicd.pipeline.task.step.name'], d]));
  assert.deepEqual(Object.keys(byStep).sort(), ['build', 'report', 'unit']);
  assert.equal(byStep.unit?.['process.exit_code'], 137);
  assert.equal(byStep.unit?.['event.reason'], 'OOMKilled');
  assert.equal(byStep.unit?.['error.type'], 'out-of-memory');
  assert.equal(byStep.unit?.['@timestamp'], '2024-05-01T10:00:05.000Z');
  assert.match(String(byStep.unit?.['error.stack_trace']), /BUILD FAILURE$/);
  assert.equal(byStep.build?.['error.type'], 'image-pull');
  assert.equal(byStep.build?.['event.reason'], 'ImagePullBackOff');
  assert.equal(r.results['errors-found'], String(2 + 3));
});

test('a service account without the Role: the 403 Status message, a hint, exit 2', async () => {
  await using kube = await new KubeDouble({ token: TOKEN, namespace: NS, taskRuns: taskRuns(), logs: LOGS, forbid: { taskRuns: true } }).start();
  using ws = testdir({ token: TOKEN });
  const args = [`--workspace=${ws.path}`, '--input=kubernetes', `--kube-api-url=${kube.url}`, `--kube-token-file=${ws.path}/token`, `--namespace=${NS}`, `--pipeline-run=${PR}`, '--output=file', '--output-file=out.ndjson'];
  const r = await ship(args);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot list resource "taskruns" in API group "tekton.dev"/);
  assert.match(r.stderr, /rbac\.yaml/);
  await using kube2 = await new KubeDouble({ token: 'another-token', namespace: NS, taskRuns: taskRuns(), logs: LOGS }).start();
  const bad = await ship(args.map((a) => (a.startsWith('--kube-api-url') ? `--kube-api-url=${kube2.url}` : a)));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /refused the token/);
  assert.ok(!/CANARY/.test(r.stderr + bad.stderr));
});

test('an unreachable Kubernetes API does not fail the finally task: degraded, exit 0 (4 with --strict)', async () => {
  using ws = testdir({ token: TOKEN });
  const args = [`--workspace=${ws.path}`, '--input=kubernetes', '--kube-api-url=http://127.0.0.1:9', `--kube-token-file=${ws.path}/token`, `--namespace=${NS}`, `--pipeline-run=${PR}`, '--output=file', '--output-file=out.ndjson'];
  const r = await ship(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.results.degraded, 'true');
  assert.match(r.stderr, /cannot list the TaskRuns of build-app-run-7: cannot reach http:\/\/127\.0\.0\.1:9: ECONNREFUSED/);
  assert.equal((await ship([...args, '--strict'])).code, 4);
});
