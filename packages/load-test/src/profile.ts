import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseThreshold } from './threshold.ts';
import type { Threshold } from './threshold.ts';

/** One route of a load profile, ready to send. */
export interface Route {
  name: string;
  method: string;
  /** Path relative to the target URL (joined to its path), with query. */
  path: string;
  headers: Record<string, string>;
  /** The raw body, if any. */
  body?: string;
  weight: number;
}

/** A validated load profile: routes and thresholds (global and per route). */
export interface Profile {
  routes: Route[];
  thresholds: Threshold[];
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ROUTE_KEYS = new Set(['name', 'method', 'path', 'headers', 'body', 'weight', 'thresholds']);

/** Reads and validates a profile file (JSON or YAML); every problem is reported with where it is. */
export function loadProfile(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}), expected a readable JSON or YAML load profile`, { cause: err });
  }
  let doc: unknown;
  try {
    // YAML is a superset of JSON, so one parser reads both.
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON or YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return parseProfile(doc, file);
}

/** Validates a parsed profile document. */
export function parseProfile(doc: unknown, where = 'profile'): Profile {
  const problems: string[] = [];
  if (!isObject(doc)) throw new Error(`${where}: expected a mapping with "routes" (a list) and optional "thresholds"`);
  for (const k of Object.keys(doc)) if (k !== 'routes' && k !== 'thresholds') problems.push(`${where}: unknown key "${k}" (expected routes, thresholds)`);
  const rawRoutes = doc.routes;
  if (!Array.isArray(rawRoutes) || rawRoutes.length === 0) {
    throw new Error(`${where}: "routes" must be a non-empty list of routes (name, path, and optional method, headers, body, weight, thresholds)`);
  }
  const routes: Route[] = [];
  const thresholds: Threshold[] = [];
  const names = new Set<string>();
  rawRoutes.forEach((r: unknown, i: number) => {
    const at = `${where}: routes[${i}]`;
    if (!isObject(r)) {
      problems.push(`${at} must be a mapping`);
      return;
    }
    for (const k of Object.keys(r)) if (!ROUTE_KEYS.has(k)) problems.push(`${at}: unknown key "${k}" (expected ${[...ROUTE_KEYS].join(', ')})`);
    const name = r.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(name)) {
      problems.push(`${at}.name is ${JSON.stringify(name)}, expected a name of letters, digits, ".", "_" or "-"`);
    } else if (names.has(name)) {
      problems.push(`${at}.name "${name}" is used twice; route names must be unique`);
    } else names.add(name);
    const label = typeof name === 'string' ? `${where}: route ${name}` : at;
    const method = r.method == null ? 'GET' : String(r.method).toUpperCase();
    if (!METHODS.includes(method)) problems.push(`${label}: method is ${JSON.stringify(r.method)}, expected one of ${METHODS.join(', ')}`);
    const path = r.path;
    if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) {
      problems.push(`${label}: path is ${JSON.stringify(path)}, expected a path starting with "/" and without spaces`);
    }
    const headers: Record<string, string> = {};
    if (r.headers != null) {
      if (!isObject(r.headers)) problems.push(`${label}: headers must be a mapping of header name to value`);
      else {
        for (const [h, v] of Object.entries(r.headers)) {
          if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h) || (typeof v !== 'string' && typeof v !== 'number') || /[\r\n]/.test(String(v))) {
            problems.push(`${label}: header ${JSON.stringify(h)} must be a valid header name with a one-line string value`);
          } else headers[h] = String(v);
        }
      }
    }
    let body: string | undefined;
    if (r.body != null) {
      if (typeof r.body === 'string') body = r.body;
      else if (typeof r.body === 'object') {
        body = JSON.stringify(r.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      } else problems.push(`${label}: body must be an object (sent as JSON) or a string (sent as is)`);
    }
    const weight = r.weight == null ? 1 : r.weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 10_000) {
      problems.push(`${label}: weight is ${JSON.stringify(r.weight)}, expected a positive number (a relative share, default 1)`);
    }
    if (r.thresholds != null) {
      if (!Array.isArray(r.thresholds)) problems.push(`${label}: thresholds must be a list such as ["p(99)<300ms"]`);
      else for (const t of r.thresholds) collect(problems, thresholds, t, `${label}: `, typeof name === 'string' ? name : undefined);
    }
    routes.push({ name: String(name), method, path: String(path), headers, ...(body != null ? { body } : {}), weight: Number(weight) });
  });
  if (doc.thresholds != null) {
    if (!Array.isArray(doc.thresholds)) problems.push(`${where}: thresholds must be a list such as ["p(95)<200ms", "error_rate<1%"]`);
    else for (const t of doc.thresholds) collect(problems, thresholds, t, `${where}: `);
  }
  for (const t of thresholds) {
    if (t.route && !names.has(t.route)) problems.push(`${where}: threshold ${JSON.stringify(t.source)} names route "${t.route}", which the profile does not have`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return { routes, thresholds };
}

function collect(problems: string[], out: Threshold[], t: unknown, prefix: string, route?: string): void {
  if (typeof t !== 'string') {
    problems.push(`${prefix}threshold ${JSON.stringify(t)} must be a string such as "p(95)<200ms"`);
    return;
  }
  try {
    out.push(parseThreshold(t, route));
  } catch (err) {
    problems.push(`${prefix}${(err as Error).message}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The order routes are sent in: each route appears in proportion to its weight, spread
 * evenly (smooth weighted round robin), so a short run still sees the intended mix.
 */
export function weightedSequence(weights: number[], maxLength = 1000): number[] {
  // Weights may have decimals; scale to integers (2 decimals are plenty for a share).
  const ints = weights.map((w) => Math.max(1, Math.round(w * 100)));
  const g = ints.reduce(gcd);
  let scaled = ints.map((w) => w / g);
  const total = scaled.reduce((a, b) => a + b, 0);
  if (total > maxLength) scaled = scaled.map((w) => Math.max(1, Math.round((w * maxLength) / total)));
  const sum = scaled.reduce((a, b) => a + b, 0);
  const current = scaled.map(() => 0);
  const seq: number[] = [];
  for (let n = 0; n < sum; n++) {
    let best = 0;
    for (let i = 0; i < scaled.length; i++) {
      current[i] = (current[i] as number) + (scaled[i] as number);
      if ((current[i] as number) > (current[best] as number)) best = i;
    }
    current[best] = (current[best] as number) - sum;
    seq.push(best);
  }
  return seq;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
