// Shared by the integration tests: an Elasticsearch (the double, or a real one when
// ELASTICSEARCH_URL is set), and the shipper run in-process or as a child process.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { runInProcess } from '@steg/test-support';
import type { InProcessRun } from '@steg/test-support';
import { step } from '../src/step.ts';
import { EsDouble } from './doubles/es-double.ts';
import type { EsDoubleOptions } from './doubles/es-double.ts';

export const PKG = new URL('..', import.meta.url).pathname;
export const ROOT = new URL('../../..', import.meta.url).pathname;

/** An Elasticsearch for a test: the double, or the real one at ELASTICSEARCH_URL. */
export interface Es {
  url: string;
  /** The double, when no real Elasticsearch is configured (fault injection needs it). */
  double: EsDouble | undefined;
  /** Auth args for the shipper. */
  authEnv: Record<string, string>;
  /** A fresh data stream name for one test. */
  newIndex(prefix?: string): string;
  count(index: string): Promise<number>;
  /** Which of these ids the index holds. */
  found(index: string, ids: string[]): Promise<Set<string>>;
  /** All sources of an index (double only; a real ES is searched). */
  sources(index: string): Promise<Record<string, unknown>[]>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the double unless ELASTICSEARCH_URL points at a real Elasticsearch. */
export async function startEs(o: EsDoubleOptions = {}): Promise<Es> {
  const real = process.env.ELASTICSEARCH_URL;
  const double = real ? undefined : await new EsDouble(o).start();
  const url = real ?? (double as EsDouble).url;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authEnv: Record<string, string> = {};
  if (real && process.env.ELASTICSEARCH_API_KEY) {
    headers.authorization = `ApiKey ${process.env.ELASTICSEARCH_API_KEY}`;
    authEnv.STEG_API_KEY = process.env.ELASTICSEARCH_API_KEY;
  }
  const created: string[] = [];
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${url}/${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    return (await res.json()) as Record<string, unknown>;
  };
  return {
    url,
    double,
    authEnv,
    newIndex(prefix = 'logs-steg.test') {
      const name = `${prefix}-${randomUUID().slice(0, 8)}`;
      created.push(name);
      return name;
    },
    async count(index) {
      await call('POST', `${index}/_refresh`);
      return Number((await call('GET', `${index}/_count`)).count ?? 0);
    },
    async found(index, ids) {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const r = (await call('POST', `${index}/_mget`, { ids: ids.slice(i, i + 1000) })) as { docs: { _id: string; found: boolean }[] };
        for (const d of r.docs) if (d.found) out.add(d._id);
      }
      return out;
    },
    async sources(index) {
      if (double) return [...double.docs(index).values()].map((s) => JSON.parse(s) as Record<string, unknown>);
      await call('POST', `${index}/_refresh`);
      const r = (await call('POST', `${index}/_search`, { size: 10000, sort: [{ 'log.offset': 'asc' }] })) as { hits: { hits: { _source: Record<string, unknown> }[] } };
      return r.hits.hits.map((h) => h._source);
    },
    async [Symbol.asyncDispose]() {
      if (double) return double.stop();
      for (const name of created) {
        await call('DELETE', `_data_stream/${name}`).catch(() => undefined);
        await call('DELETE', name).catch(() => undefined);
      }
    },
  };
}

/** Runs the shipper in-process (Tekton mode: results are files). */
export function ship(argv: string[], env: Record<string, string> = {}, cwd?: string): Promise<InProcessRun> {
  return runInProcess(step, argv, { env: { STEG_ELK_MIN_RETRY_DELAY_MS: '5', ...env }, ...(cwd ? { cwd } : {}) });
}

/** Starts the shipper as a child process (tsx), for kill tests. */
export function spawnShipper(argv: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', `${PKG}src/cli.ts`, ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, STEG_ELK_MIN_RETRY_DELAY_MS: '5', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Every document id the shipper would give a log: read back from a file output run. */
export function idsOf(docs: Record<string, unknown>[]): string[] {
  return docs.map((d) => String(d['event.id']));
}
