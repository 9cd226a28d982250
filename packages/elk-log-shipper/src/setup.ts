import { StepError } from '@steg/step-kit';
import type { Logger } from '@steg/step-kit';
import type { HttpClient } from './http.ts';
import { indexTemplate, isDataStreamName, templateName } from './template.ts';
import { esReason } from './transports.ts';

/** Creates (or updates) the index template, then the data stream or index; safe to run again. */
export async function setupElasticsearch(http: HttpClient, index: string, log: Logger, signal?: AbortSignal): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const name = templateName(index);
  const t = await http.request('PUT', `_index_template/${name}`, JSON.stringify(indexTemplate(index)), json, signal);
  if (t.status !== 200) throw new StepError(`creating index template ${name} failed: HTTP ${t.status} ${esReason(t)}`);
  log.info(`index template ${name} is in place`);
  const path = isDataStreamName(index) ? `_data_stream/${encodeURIComponent(index)}` : encodeURIComponent(index);
  const c = await http.request('PUT', path, isDataStreamName(index) ? undefined : '{}', json, signal);
  if (c.status === 200) log.info(`${isDataStreamName(index) ? 'data stream' : 'index'} ${index} created`);
  else if (c.status === 400 && esReason(c).startsWith('resource_already_exists_exception')) log.info(`${index} already exists`);
  else throw new StepError(`creating ${index} failed: HTTP ${c.status} ${esReason(c)}`);
}
