/** Field types of the documents: keyword for what people filter on, text for what they search in. */
export const FIELDS: Record<string, Record<string, unknown>> = {
  '@timestamp': { type: 'date' },
  message: { type: 'text' },
  'log.level': { type: 'keyword' },
  'log.offset': { type: 'long' },
  'log.file.path': { type: 'keyword' },
  'ecs.version': { type: 'keyword' },
  'event.dataset': { type: 'keyword' },
  'event.kind': { type: 'keyword' },
  'event.outcome': { type: 'keyword' },
  'event.action': { type: 'keyword' },
  'event.reason': { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } },
  'event.id': { type: 'keyword' },
  'service.name': { type: 'keyword' },
  'process.exit_code': { type: 'long' },
  'error.type': { type: 'keyword' },
  'error.code': { type: 'keyword' },
  'error.message': { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } },
  'error.stack_trace': { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } },
  'cicd.pipeline.name': { type: 'keyword' },
  'cicd.pipeline.run.id': { type: 'keyword' },
  'cicd.pipeline.task.name': { type: 'keyword' },
  'cicd.pipeline.task.run.id': { type: 'keyword' },
  'cicd.pipeline.task.step.name': { type: 'keyword' },
  'vcs.repository.url.full': { type: 'keyword' },
  'vcs.ref.head.revision': { type: 'keyword' },
  'vcs.ref.head.name': { type: 'keyword' },
};

/** Turns dotted field names into the nested `properties` Elasticsearch mappings use. */
export function nestProperties(fields: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, mapping] of Object.entries(fields)) {
    const parts = name.split('.');
    let cur = root;
    for (const part of parts.slice(0, -1)) {
      const node = (cur[part] ??= { properties: {} }) as { properties: Record<string, unknown> };
      cur = node.properties;
    }
    cur[parts.at(-1) as string] = mapping;
  }
  return root;
}

/** True for names of the form <type>-<dataset>-<namespace>, which Elasticsearch treats as data streams. */
export function isDataStreamName(index: string): boolean {
  return /^(logs|metrics|traces)-[^-]+-[^-]+$/.test(index);
}

/** The index pattern the template covers: every namespace of a data stream, or the index itself. */
export function templatePattern(index: string): string {
  return isDataStreamName(index) ? index.replace(/-[^-]+$/, '-*') : index;
}

/** The composable index template for the shipper's documents. */
export function indexTemplate(index: string): Record<string, unknown> {
  return {
    index_patterns: [templatePattern(index)],
    // Above the built-in logs-*-* template (priority 100), so these mappings win.
    priority: 200,
    ...(isDataStreamName(index) ? { data_stream: {} } : {}),
    template: {
      mappings: {
        dynamic_templates: [
          { labels: { path_match: 'labels.*', mapping: { type: 'keyword' } } },
          { strings: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } } },
        ],
        properties: { ...nestProperties(FIELDS), labels: { type: 'object' } },
      },
    },
    _meta: { description: 'steg elk-log-shipper: build logs with pipeline context', managed_by: 'steg' },
  };
}

/** The template's name for an index. */
export function templateName(index: string): string {
  return `steg-${templatePattern(index).replace(/\*/g, 'all').replace(/[^a-z0-9._-]/g, '-')}`;
}
