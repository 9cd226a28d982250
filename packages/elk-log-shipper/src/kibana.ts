/** Quotes a string for rison (the encoding of Kibana's URL state). */
export function risonString(s: string): string {
  if (/^[A-Za-z_][\w.-]*$/.test(s) && !/^[-\d]/.test(s)) return s;
  return `'${s.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
}

/** A Kibana Discover link showing this run's documents (last 7 days). */
export function discoverUrl(base: string, runId: string, field = 'cicd.pipeline.run.id'): string {
  const kql = `${field}:"${runId.replace(/(["\\])/g, '\\$1')}"`;
  const g = '(time:(from:now-7d,to:now))';
  const a = `(query:(language:kuery,query:${risonString(kql)}))`;
  return `${base.replace(/\/+$/, '')}/app/discover#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}
