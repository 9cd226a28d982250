/** How a retried call behaves. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  retries?: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** Decides whether an error is worth another attempt. */
  isRetryable?: (err: unknown) => boolean;
  /** Stops retrying (and waiting) when aborted, e.g. the step's deadline. */
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Exponential backoff with full jitter: a random delay up to min(max, min * factor^attempt). */
export function backoffDelay(attempt: number, o: Pick<RetryOptions, 'minDelayMs' | 'maxDelayMs' | 'factor' | 'random'> = {}): number {
  const min = o.minDelayMs ?? 200;
  const cap = Math.min(o.maxDelayMs ?? 10_000, min * (o.factor ?? 2) ** attempt);
  return Math.round(min / 2 + (o.random ?? Math.random)() * (cap - min / 2));
}

/** Resolves after ms, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs fn until it succeeds, a non-retryable error is thrown, retries run out, or the signal aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const retries = o.retries ?? 3;
  const wait = o.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (o.signal?.aborted) throw err;
      if (attempt >= retries || !(o.isRetryable ?? (() => true))(err)) throw err;
      const delay = backoffDelay(attempt, o);
      o.onRetry?.(err, attempt + 1, delay);
      await wait(delay, o.signal);
    }
  }
}

/** HTTP statuses worth retrying: timeouts, rate limits, and passing server trouble. */
export const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** An HTTP response whose status asked for a retry, after retries ran out. */
export class HttpStatusError extends Error {
  constructor(readonly status: number, readonly url: string, readonly body: string) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpStatusError';
  }
}

export interface FetchRetryOptions extends RetryOptions {
  /** Per-attempt timeout. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  /** Statuses to retry; others are returned to the caller as they are. */
  retryStatus?: Set<number>;
}

/**
 * fetch with a per-attempt timeout and bounded retries with backoff and jitter.
 * Retries network errors, timeouts and retryable statuses (honouring Retry-After);
 * any other response is returned, so the caller decides what a 4xx means.
 */
export async function fetchWithRetry(url: string | URL, init: RequestInit = {}, o: FetchRetryOptions = {}): Promise<Response> {
  const doFetch = o.fetch ?? globalThis.fetch;
  const retryStatus = o.retryStatus ?? RETRYABLE_STATUS;
  const timeoutMs = o.timeoutMs ?? 10_000;
  let retryAfterMs: number | undefined;
  return retry(
    async () => {
      const signals = [AbortSignal.timeout(timeoutMs)];
      if (o.signal) signals.push(o.signal);
      if (init.signal) signals.push(init.signal);
      let res: Response;
      try {
        res = await doFetch(url, { ...init, signal: AbortSignal.any(signals) });
      } catch (err) {
        if (o.signal?.aborted || init.signal?.aborted) throw err;
        throw new NetworkError(describeFetchError(err, String(url), timeoutMs), { cause: err });
      }
      if (retryStatus.has(res.status)) {
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        const body = await res.text().catch(() => '');
        throw new HttpStatusError(res.status, String(url), body.slice(0, 500));
      }
      return res;
    },
    {
      ...o,
      isRetryable: (err) => (o.isRetryable ? o.isRetryable(err) : err instanceof NetworkError || err instanceof HttpStatusError),
      sleep: async (ms, signal) => {
        const d = retryAfterMs != null ? Math.min(Math.max(ms, retryAfterMs), o.maxDelayMs ?? 30_000) : ms;
        retryAfterMs = undefined;
        await (o.sleep ?? sleep)(d, signal);
      },
    },
  );
}

/** A request that never got a response: refused, reset, DNS, TLS or timed out. */
export class NetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

function describeFetchError(err: unknown, url: string, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response from ${url} within ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.cause?.message ?? (err as Error)?.message;
  return `cannot reach ${url}: ${code}`;
}

function parseRetryAfter(v: string | null): number | undefined {
  if (!v) return undefined;
  const s = Number(v);
  if (Number.isFinite(s)) return s * 1000;
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}
