// The record contract's RFC 3339 timestamp → OTel HrTime, keeping the event's full time precision.
import type { HrTime } from '@opentelemetry/api';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * RFC 3339 → [seconds, nanoseconds]. Date keeps only milliseconds; Windows writes 7 fraction digits and evtx
 * converters 9, so the fraction is read as text. null when the text is not RFC 3339.
 */
export function parseRfc3339(text: string): HrTime | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  const nanos = m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0'));
  return [Math.floor(ms / 1000), nanos];
}
