// Secrets must never reach an output: header values (an `Authorization: Bearer …` token), anything the
// config took from `${env:NAME}`, URL credentials, private keys. They surface through many layers (config
// errors, exporter errors that quote a request, a server echoing a header, a debug stack), so the values are
// remembered once where they enter (config load, OTEL_EXPORTER_OTLP_*HEADERS) in this process-wide set, and
// every diagnostic output line (stderr, `config print`, the last-resort error handler) passes redactSecrets.

export const REDACTED = '<redacted>';

/**
 * Shorter values are not remembered for substring redaction: a 3-character "secret" would garble every
 * message it happens to occur in (`config print` still redacts them by position).
 */
export const MIN_SECRET_CHARS = 6;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Remember a secret value; a header value's parts (`Bearer`, the token) are remembered as well. */
export function rememberSecret(value: string): void {
  const candidates = [value.trim(), ...value.split(/\s+/), encodeURIComponent(value.trim())];
  let added = false;
  for (const c of candidates) {
    if (c.length >= MIN_SECRET_CHARS && !/^(bearer|basic|token|apikey)$/i.test(c) && !secrets.has(c)) {
      secrets.add(c);
      added = true;
    }
  }
  // Longest first, so a value is replaced whole before a part of it could be.
  if (added) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Forget every remembered secret (tests; a process loads its config once). */
export function forgetSecrets(): void {
  secrets.clear();
  ordered = [];
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;

/** `text` with every remembered secret, URL password and PEM private key replaced by <redacted>. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out.replace(URL_CREDENTIALS, `$1${REDACTED}@`).replace(PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`);
}
