// The record contract's RFC 3339 timestamp → OTel HrTime, keeping the event's full time precision.
import type { HrTime } from '@opentelemetry/api';
import { readDateTime } from '../shared/index.ts';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * RFC 3339 → [seconds, nanoseconds]. Date keeps only milliseconds; Windows writes 7 fraction digits and evtx
 * converters 9, so the fraction is read as text. null when the text is not RFC 3339.
 */
export function parseRfc3339(text: string): HrTime | null {
  return parseUtc(text) ?? parseGeneral(text);
}

/**
 * The form every record has (the decoders write UTC with `Z`), read by character: the regex and Date.parse
 * below were ~5% of the CPU an event costs before export (CPU profile of decode → log record on the bench's events).
 * null for anything else, which the general reader then takes (offsets, a leap second, years before 100).
 */
function parseUtc(text: string): HrTime | null {
  const dt = readDateTime(text);
  if (dt === null || text.charCodeAt(10) !== 84 /* T */ || dt.se > 59 || dt.y < 100) return null;
  let k = 19;
  let nanos = 0;
  if (text.charCodeAt(k) === 46 /* . */) {
    const from = ++k;
    while (k < text.length && k - from < 9) {
      const c = text.charCodeAt(k) - 48;
      if (c < 0 || c > 9) break;
      nanos = nanos * 10 + c;
      k++;
    }
    if (k === from) return null;
    for (let n = k - from; n < 9; n++) nanos *= 10;
  }
  if (k !== text.length - 1 || text.charCodeAt(k) !== 90 /* Z */) return null;
  const ms = Date.UTC(dt.y, dt.mo - 1, dt.d, dt.h, dt.mi, dt.se);
  return [Math.floor(ms / 1000), nanos];
}

function parseGeneral(text: string): HrTime | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  const nanos = m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0'));
  return [Math.floor(ms / 1000), nanos];
}
