import http from 'node:http';
import https from 'node:https';

/** A complete HTTP response. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request that got no response: refused, reset, timed out, TLS failure. */
export class ConnectionError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** An HTTP client for one base URL: keep-alive, a CA bundle, auth headers, per-request timeout. */
export class HttpClient {
  private readonly agent: http.Agent;
  readonly base: URL;

  constructor(
    base: string,
    private readonly o: { headers?: Record<string, string>; ca?: string | undefined; timeoutMs: number },
  ) {
    this.base = new URL(base.endsWith('/') ? base : `${base}/`);
    const opts = { keepAlive: true, maxSockets: 4 };
    this.agent = this.base.protocol === 'https:' ? new https.Agent({ ...opts, ...(o.ca ? { ca: o.ca } : {}) }) : new http.Agent(opts);
  }

  /** Sends one request; rejects with ConnectionError when no response arrives. */
  request(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<HttpResponse> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...this.o.headers,
            ...headers,
            ...(body != null ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
          },
          timeout: this.o.timeoutMs,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            // A server may answer (413, 401) before it has read the whole body. The caller reuses
            // the body's memory once it has the answer, so no write of it may still be pending.
            if (!req.writableFinished) req.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          });
          res.on('error', (e: NodeJS.ErrnoException) => reject(new ConnectionError(`response from ${this.where()} broke off: ${e.code ?? e.message}`, e.code)));
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (signal?.aborted) return reject(signal.reason);
        const what = e.code === 'ETIMEDOUT' ? `no response within ${this.o.timeoutMs} ms` : (e.code ?? e.message);
        reject(new ConnectionError(`cannot reach ${this.where()}: ${what}`, e.code));
      });
      req.end(body);
    });
  }

  /** Sends a GET and resolves with the response stream once headers arrive (for long logs). */
  stream(path: string, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method: 'GET', agent: this.agent, headers: { ...this.o.headers }, timeout: this.o.timeoutMs, ...(signal ? { signal } : {}) }, resolve);
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (signal?.aborted) return reject(signal.reason);
        reject(new ConnectionError(`cannot reach ${this.where()}: ${e.code ?? e.message}`, e.code));
      });
      req.end();
    });
  }

  /** The base URL without credentials, for messages. */
  where(): string {
    return `${this.base.protocol}//${this.base.host}${this.base.pathname.replace(/\/$/, '')}`;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

/** The auth header for an API key or a user and password; none when neither is given. */
export function authHeaders(apiKey: string | undefined, username: string, password: string | undefined): Record<string, string> {
  if (apiKey) return { authorization: `ApiKey ${apiKey}` };
  if (username) return { authorization: `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` };
  return {};
}
