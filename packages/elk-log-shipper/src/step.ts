import { defineStep, param } from '@steg/step-kit';
import type { ResultDef } from '@steg/step-kit';

/** The declared params. */
export const params = {
  input: param.enum(['files', 'kubernetes'] as const, {
    description: 'where the logs come from: files in the workspace (and stdin), or the PipelineRun\'s TaskRuns through the Kubernetes API',
    default: 'files',
  }),
  files: param.list({ description: 'files and globs (*, **, ?) relative to the workspace; "-" reads stdin', default: [] }),
  workspace: param.string({ description: 'directory the files, the spool and the dead-letter file are relative to', default: '.' }),
  mode: param.enum(['ship', 'setup', 'setup-and-ship'] as const, {
    description: 'ship logs, create the index template and data stream (setup), or both',
    default: 'ship',
  }),
  output: param.enum(['elasticsearch', 'logstash', 'file'] as const, {
    description: 'elasticsearch (_bulk), logstash (NDJSON over its HTTP input) or file (NDJSON documents into output-file)',
    default: 'elasticsearch',
  }),
  url: param.url({ description: 'Elasticsearch or Logstash base URL, e.g. https://es.example.com:9200', default: '' }),
  index: param.string({
    description: 'data stream or index to write to; logs-<dataset>-<namespace> names are data streams',
    default: 'logs-steg.build-default',
    pattern: /^[a-z0-9][a-z0-9._+-]*$/,
    patternHint: 'a lower-case index name (a-z, 0-9, . _ + -)',
  }),
  'api-key': param.secret({ description: 'Elasticsearch API key (the base64 "encoded" value), from a mounted Secret file' }),
  username: param.string({ description: 'user for basic auth (with password)', default: '' }),
  password: param.secret({ description: 'password for basic auth, from a mounted Secret file' }),
  'auth-dir': param.string({
    description: 'directory of a mounted Secret with api-key, or username and password, and optionally ca.crt (files that are absent are skipped); empty: none',
    default: '',
  }),
  'ca-file': param.string({ description: 'PEM CA bundle to trust for https (file path)', default: '' }),
  'output-file': param.string({ description: 'with output=file: the NDJSON file to append documents to', default: '' }),
  'pipeline-name': param.string({ description: 'cicd.pipeline.name, e.g. $(context.pipeline.name)', default: '' }),
  'pipeline-run': param.string({ description: 'cicd.pipeline.run.id, e.g. $(context.pipelineRun.name); with input=kubernetes, the PipelineRun whose TaskRuns are read', default: '' }),
  'task-name': param.string({ description: 'cicd.pipeline.task.name (files input)', default: '' }),
  'task-run': param.string({ description: 'cicd.pipeline.task.run.id (files input), e.g. $(context.taskRun.name)', default: '' }),
  'step-name': param.string({ description: 'the step the files came from (files input)', default: '' }),
  'exit-code': param.string({
    description: "the step's exit code, or a file holding it ($(steps.<step>.exitCode.path)); non-zero adds a failure summary (files input)",
    default: '',
  }),
  'vcs-repository': param.string({ description: 'vcs.repository.url.full, e.g. the GitLab project URL', default: '' }),
  'vcs-revision': param.string({ description: 'vcs.ref.head.revision, the commit SHA', default: '' }),
  'vcs-ref': param.string({ description: 'vcs.ref.head.name, the branch or tag', default: '' }),
  'service-name': param.string({ description: 'service.name (default: the pipeline name, else "build")', default: '' }),
  'line-context': param.enum(['full', 'ids'] as const, {
    description:
      'context on plain line documents: full (pipeline, task, step, vcs, service, file, labels), or ids (run, task run and step only: documents about half the size); error and summary documents always carry it all',
    default: 'full',
  }),
  labels: param.list({ description: 'extra labels as key=value, added to every document under labels.*', default: [] }),
  namespace: param.string({ description: 'namespace of the PipelineRun (default: the service account\'s namespace)', default: '' }),
  'kube-api-url': param.url({ description: 'Kubernetes API URL (default: in-cluster, from KUBERNETES_SERVICE_HOST)', default: '' }),
  'kube-token': param.secret({ description: 'Kubernetes bearer token (default: the service account token file)' }),
  'kube-ca-file': param.string({ description: 'CA bundle for the Kubernetes API (default: the service account ca.crt)', default: '' }),
  'batch-bytes': param.int({ description: 'flush a bulk request at this many bytes of NDJSON', default: 2_097_152, min: 1024, max: 104_857_600 }),
  'batch-count': param.int({ description: 'flush a bulk request at this many documents', default: 5000, min: 1, max: 100_000 }),
  'flush-interval': param.duration({ description: 'flush a partial batch after this long (stdin)', default: '5s', min: '10ms' }),
  compress: param.bool({ description: 'gzip request bodies', default: true }),
  retries: param.int({ description: 'retries of a request or of failed items (429, 5xx) before spooling them', default: 8, min: 0, max: 100 }),
  'request-timeout': param.duration({ description: 'timeout of one HTTP request', default: '30s', min: '100ms' }),
  'dead-letter-file': param.string({ description: 'documents Elasticsearch rejected for good, with the reason (relative to the workspace)', default: 'elk-dead-letter.ndjson' }),
  'spool-dir': param.string({ description: 'where documents wait when ELK is unreachable; a later run ships them (relative to the workspace)', default: '.elk-spool' }),
  'tail-lines': param.int({ description: 'lines before a failure kept in the failure summary', default: 20, min: 1, max: 500 }),
  'kibana-url': param.url({ description: 'Kibana base URL; when given, the kibana-url result links Discover filtered on this run', default: '' }),
  strict: param.bool({ description: 'exit 4 when ELK was unreachable or documents were rejected (default: exit 0, never break the build)', default: false }),
};

/** The declared results. */
export const results = {
  shipped: { description: 'documents Elasticsearch/Logstash holds from this run (409 "already there" included)' },
  failed: { description: 'documents rejected for good and written to the dead-letter file' },
  spooled: { description: 'documents written to the spool because ELK was unreachable' },
  'errors-found': { description: 'error documents extracted (stack traces, error blocks, failure summaries)' },
  degraded: { description: 'true when ELK was unreachable and documents were spooled' },
  'kibana-url': { description: 'Kibana Discover filtered on this run (empty without kibana-url)' },
} satisfies Record<string, ResultDef>;

/** The elk-log-shipper declaration: the single source of its CLI, help, README tables and Tekton contract. */
export const step = defineStep({
  name: 'elk-log-shipper',
  description:
    "Ships a pipeline's step logs to Elasticsearch (or Logstash) with the pipeline's context attached and the errors pulled out; never breaks the build",
  deadline: '30m',
  params,
  results,
  exitCodes: { 4: 'with --strict: ELK unreachable (documents spooled) or documents rejected' },
  examples: [
    'steg-elk-log-shipper --files "logs/**/*.log" --url https://es:9200 --api-key-file /secrets/es/api-key --pipeline-run pr-123',
    'mvn -B verify 2>&1 | tee build.log; steg-elk-log-shipper --files build.log --output file --output-file docs.ndjson',
  ],
  async run(ctx): Promise<number> {
    const { runShipper } = await import('./run.ts');
    return runShipper(ctx);
  },
});
