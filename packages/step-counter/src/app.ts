// The HTTP routes: the page, the JSON API and the health endpoints. The handler gets its
// store, clock and logger passed in, so tests can run it against any database.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@steg/step-kit';
import { HttpError, readJson, sendJson } from './http-io.ts';
import { FAVICON_SVG, PAGE_CSS, PAGE_HTML, PAGE_JS } from './page.ts';
import type { Store } from './store.ts';
import { rank, summarize } from './summary.ts';
import { parseEntry, parseLimit, parseRange, parseTeam, parseUser, ValidationError } from './validate.ts';

export interface AppOptions {
  store: Store;
  log: Logger;
  version: { name: string; version: string; commit: string };
  /** True once shutdown has begun: /readyz fails so traffic moves elsewhere. */
  draining?: () => boolean;
  now?: () => Date;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

// The page loads only what the app itself serves: no CDN, no inline script.
const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** Builds the request handler. */
export function createApp(opts: AppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = opts.now ?? (() => new Date());
  const draining = opts.draining ?? (() => false);
  const { store } = opts;

  const routes: Record<string, Partial<Record<string, Handler>>> = {
    '/': { GET: async (_q, res) => sendText(res, 'text/html; charset=utf-8', PAGE_HTML) },
    '/app.js': { GET: async (_q, res) => sendText(res, 'text/javascript; charset=utf-8', PAGE_JS) },
    '/app.css': { GET: async (_q, res) => sendText(res, 'text/css; charset=utf-8', PAGE_CSS) },
    '/favicon.svg': { GET: async (_q, res) => sendText(res, 'image/svg+xml', FAVICON_SVG) },
    // Browsers ask for /favicon.ico regardless of the <link rel="icon">.
    '/favicon.ico': { GET: async (_q, res) => void res.writeHead(204).end() },
    '/version': { GET: async (_q, res) => sendJson(res, 200, opts.version) },
    '/healthz': {
      GET: async (_q, res) => {
        // Healthy means the database answers, not only that this process runs.
        try {
          await store.ping();
          sendJson(res, 200, { status: 'ok', database: 'ok' });
        } catch (err) {
          opts.log.warn('health check: database unreachable', { error: (err as Error).message });
          sendJson(res, 503, { status: 'unavailable', database: 'unreachable' });
        }
      },
    },
    '/readyz': {
      GET: async (_q, res) => {
        if (draining()) return sendJson(res, 503, { status: 'shutting_down' }, { connection: 'close' });
        try {
          if (!(await store.schemaReady())) return sendJson(res, 503, { status: 'not_ready', database: 'not migrated' });
          sendJson(res, 200, { status: 'ready' });
        } catch {
          sendJson(res, 503, { status: 'not_ready', database: 'unreachable' });
        }
      },
    },
    '/api/teams': { GET: async (_q, res) => sendJson(res, 200, { teams: await store.teams() }) },
    '/api/entries': {
      POST: async (req, res) => {
        const entry = parseEntry(await readJson(req), now());
        const saved = await store.record(entry);
        sendJson(res, saved.created ? 201 : 200, saved);
      },
      GET: async (_q, res, url) => {
        const user = parseUser(url.searchParams.get('user'));
        const range = parseRange(url.searchParams, now());
        const entries = await store.entries(user, range);
        if (entries == null) throw new HttpError(404, 'not_found', `no user named ${user}`, 'user');
        sendJson(res, 200, { user, ...range, entries });
      },
    },
    '/api/summary': {
      GET: async (_q, res, url) => {
        const user = parseUser(url.searchParams.get('user'));
        const range = parseRange(url.searchParams, now());
        const entries = await store.entries(user, range);
        if (entries == null) throw new HttpError(404, 'not_found', `no user named ${user}`, 'user');
        sendJson(res, 200, summarize(user, range, entries));
      },
    },
    '/api/leaderboard': {
      GET: async (_q, res, url) => {
        const team = parseTeam(url.searchParams.get('team'));
        const range = parseRange(url.searchParams, now());
        const limit = parseLimit(url.searchParams.get('limit'), 10, 100);
        const found = await store.teamSteps(team, range);
        if (found == null) throw new HttpError(404, 'not_found', `no team named ${team}`, 'team');
        sendJson(res, 200, { team, displayName: found.displayName, ...range, leaders: rank(found.rows).slice(0, limit) });
      },
    },
  };

  return (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Keep-alive clients are told to reconnect elsewhere once shutdown begins.
    if (draining()) res.setHeader('connection', 'close');
    res.on('finish', () => {
      const quiet = url.pathname === '/healthz' || url.pathname === '/readyz';
      const fields = { 'http.request.method': req.method, 'url.path': url.pathname, 'http.response.status_code': res.statusCode, 'event.duration_ms': Math.round((performance.now() - started) * 10) / 10 };
      if (quiet) opts.log.debug('request', fields);
      else opts.log.info('request', fields);
    });
    const route = routes[url.pathname];
    const handler = route?.[req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')];
    if (!route) return sendJson(res, 404, { error: 'not_found', message: `no route ${url.pathname}` });
    if (!handler) return sendJson(res, 405, { error: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}` }, { allow: Object.keys(route).join(', ') });
    handler(req, res, url).catch((err: unknown) => fail(res, err, opts.log));
  };
}

function fail(res: ServerResponse, err: unknown, log: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof ValidationError) return sendJson(res, 400, { error: 'invalid_input', field: err.field, message: err.message });
  if (err instanceof HttpError) return sendJson(res, err.status, { error: err.code, ...(err.field ? { field: err.field } : {}), message: err.message });
  log.error('request failed', { error: err instanceof Error ? err.message : String(err) });
  sendJson(res, 500, { error: 'internal', message: 'internal error; see the server log' });
}

function sendText(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...PAGE_HEADERS });
  res.end(body);
}
