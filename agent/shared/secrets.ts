// Secrets must never reach an output: header values (an `Authorization: Bearer …` token), anything the
// config took from `${env:NAME}`, the client key file's content, URL credentials, private keys. They surface
// through many layers (config errors, exporter errors that quote a request, a server echoing a header, a
// debug stack), so the values are remembered once where they enter (config load, OTEL_EXPORTER_OTLP_*HEADERS,
// the TLS key read) in this process-wide set, and every output passes one redactor at its edge: the
// process's stdout and stderr (cli/wfp-agent.ts), and the status file (status/status-writer.ts).

export const REDACTED = '<redacted>';

/** Replaces secrets in a text; injected where outputs leave the agent. */
export type Redact = (text: string) => string;

/**
 * Shorter values are not remembered for substring redaction: a 3-character "secret" would garble every
 * message it happens to occur in (`config print` still redacts them by position).
 */
export const MIN_SECRET_CHARS = 6;

const secrets = new Set<string>();
let ordered: string[] = [];

function add(values: readonly string[]): void {
  let added = false;
  // As JSON quotes them too (`"` and `\` escaped): `explain --json`, `status --json`.
  const candidates = values.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  for (const c of candidates) {
    if (c.length >= MIN_SECRET_CHARS && !/^(bearer|basic|token|apikey)$/i.test(c) && !secrets.has(c)) {
      secrets.add(c);
      added = true;
    }
  }
  // Longest first, so a value is replaced whole before a part of it could be.
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Remember a secret value; a header value's parts (`Bearer`, the token) are remembered as well. */
export function rememberSecret(value: string): void {
  add([value.trim(), ...value.split(/\s+/), encodeURIComponent(value.trim())]);
}

/**
 * Remember a private key file's content: the whole text and each line but PEM armor (`-----BEGIN …`), so an
 * error quoting any part of it, or a key that is no PEM at all, is redacted too.
 */
export function rememberKeyMaterial(content: string): void {
  const lines = content.split(/\r?\n/).map((l) => l.trim()).filter((l) => !l.startsWith('-----'));
  add([content.trim(), ...lines]);
}

/** Forget every remembered secret (tests; a process loads its config once). */
export function forgetSecrets(): void {
  secrets.clear();
  ordered = [];
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
// A bearer token this process was never told about (a status file written by an older agent, a proxy's own):
// 8+ token characters with a digit, or 20+ ("Bearer tokens expire" stays as it is).
const BEARER_TOKEN = /\b([Bb]earer)\s+(?=[A-Za-z0-9._~+/=-]{20}|[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}/g;

/**
 * Pure: `text` with each of `known` (longest first), URL passwords, PEM private keys and bearer tokens
 * replaced by <redacted>. The cheap `includes` checks keep it fast on output that holds none (records).
 */
export function redactWith(text: string, known: readonly string[]): string {
  let out = text;
  for (const s of known) if (out.includes(s)) out = out.split(s).join(REDACTED);
  if (out.includes('@')) out = out.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
  // With its END line, so that redacting twice (status.json, then `status`) changes nothing more.
  if (out.includes('PRIVATE KEY-----')) out = out.replace(PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED} -----END $1PRIVATE KEY-----`);
  if (out.includes('earer')) out = out.replace(BEARER_TOKEN, `$1 ${REDACTED}`);
  return out;
}

/** `text` with every secret remembered in this process (and the patterns above) replaced by <redacted>. */
export function redactSecrets(text: string): string {
  return redactWith(text, ordered);
}

/** A copy of a JSON-like value with every string (not the keys) passed through `redact`. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}
