// The SDK's retrying transport swallows the status and Retry-After of its last retryable answer (its final
// error only says "retryable status"). Node publishes every HTTP client response on the public
// diagnostics channel `http.client.response.finish`; this observer keeps the last status and Retry-After per
// exporter URL, so a failed flush can say "HTTP 429" and hand the pump the backend's own retry delay.
// Costs nothing per event: one callback per HTTP response.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

export interface ObservedResponse {
  readonly status: number;
  /** Retry-After in milliseconds, or null when the answer had none (or an unreadable one). */
  readonly retryAfterMs: number | null;
}

export interface HttpResponseObserver {
  /** The last answer to a request for `url`, or null. */
  last(url: string): ObservedResponse | null;
  close(): void;
}

const CHANNEL = 'http.client.response.finish';

function keyOf(host: string, path: string): string {
  return `${host.toLowerCase()}${path}`;
}

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function observeHttpResponses(urls: readonly string[]): HttpResponseObserver {
  const wanted = new Set(urls.map((u) => { const p = new URL(u); return keyOf(p.host, `${p.pathname}${p.search}`); }));
  const last = new Map<string, ObservedResponse>();
  const onMessage = (message: unknown): void => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const host = request.getHeader('host');
    if (typeof host !== 'string') return;
    const key = keyOf(host, request.path);
    if (!wanted.has(key)) return;
    const retryAfter = response.headers['retry-after'];
    last.set(key, { status: response.statusCode ?? 0, retryAfterMs: parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined) });
  };
  subscribe(CHANNEL, onMessage);
  return {
    last(url: string) {
      const p = new URL(url);
      return last.get(keyOf(p.host, `${p.pathname}${p.search}`)) ?? null;
    },
    close: () => void unsubscribe(CHANNEL, onMessage),
  };
}
