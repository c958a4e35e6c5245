import type { RawRecord } from './raw-record.ts';

export type DecodeErrorReason =
  | 'malformed-xml' // not well-formed, or truncated
  | 'not-an-event' // well-formed, but not an <Event> (or a JSON object without an event id)
  | 'missing-field' // an <Event> without a usable EventID
  | 'malformed-json' // a JSON line that does not parse
  | 'too-deep' // nesting beyond what any Windows event has
  | 'too-large' // one record's text beyond MAX_RECORD_CHARS
  | 'unsupported-input'; // binary .evtx, a DTD, an encoding we cannot read

export interface DecodeError {
  readonly ok: false;
  readonly reason: DecodeErrorReason;
  readonly detail: string;
  readonly file: string;
  /** 1-based record position in the input. */
  readonly position: number;
  /** 1-based line, when known. */
  readonly line?: number;
}

export type DecodeResult = { readonly ok: true; readonly value: RawRecord } | DecodeError;

/** One line for stderr: `FILE: record N (line L): reason: detail`. */
export function formatDecodeError(e: DecodeError): string {
  const line = e.line === undefined ? '' : ` (line ${e.line})`;
  return `${e.file}: record ${e.position}${line}: ${e.reason}: ${e.detail}`;
}

const MAX_DETAIL_CHARS = 200;

/**
 * A detail fit for one line of stderr: input quoted in it (a tag name, a parser message) may hold newlines,
 * control characters or megabytes; those are escaped and the whole is cut to MAX_DETAIL_CHARS.
 */
export function oneLineDetail(detail: string): string {
  const flat = detail.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return flat.length <= MAX_DETAIL_CHARS ? flat : `${flat.slice(0, MAX_DETAIL_CHARS - 1)}…`;
}
