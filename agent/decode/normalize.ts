// Small normalizers shared by the XML and JSON decoders, so both forms give identical raw records.
import { parseDecimal } from '../shared/index.ts';
import type { RawRecord } from './raw-record.ts';

export function toIntOrNull(s: string | number | undefined | null): number | null {
  if (s === undefined || s === null) return null;
  if (typeof s === 'number') return Number.isSafeInteger(s) ? s : null;
  return parseDecimal(s, true);
}

/** `{54849625-…}` in upper case with braces; '' when absent. */
export function normalizeGuid(s: string | undefined): string {
  if (s === undefined || s === '') return '';
  const t = s.trim().toUpperCase();
  return t.startsWith('{') ? t : `{${t}}`;
}

/** Keywords as `0x` + 16 lower-case hex digits. Accepts hex text or a (signed) 64-bit decimal. */
export function normalizeKeywords(s: string | undefined): string {
  if (s === undefined) return '';
  const t = s.trim();
  if (t === '') return '';
  // Windows writes exactly this form; skip the BigInt round trip for it.
  if (t.length === 18 && /^0x[0-9a-f]{16}$/i.test(t)) return t.toLowerCase();
  try {
    let v = /^0x/i.test(t) ? BigInt(t) : BigInt(t);
    if (v < 0n) v += 1n << 64n;
    if (v < 0n || v >= 1n << 64n) return '';
    return `0x${v.toString(16).padStart(16, '0')}`;
  } catch {
    return '';
  }
}

export type TimeQuality = RawRecord['timeQuality'];

/**
 * Event time as RFC 3339 UTC, keeping every fraction digit the input had.
 * `2019-02-13 18:01:47.512341` (python-evtx, shippers) has no zone: taken as UTC and flagged.
 */
export function normalizeTime(s: string | undefined): { time: string; quality: TimeQuality } {
  if (s === undefined || s.trim() === '') return { time: '', quality: 'missing' };
  const t = s.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m === null) return { time: '', quality: 'missing' };
  const [, date, clock, fraction = '', zone] = m;
  const mo = Number(date!.slice(5, 7));
  const d = Number(date!.slice(8, 10));
  const [h, mi, se] = clock!.split(':').map(Number) as [number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return { time: '', quality: 'missing' };
  if (zone === undefined) return { time: `${date}T${clock}${fraction}Z`, quality: 'assumed-utc' };
  if (zone === 'Z') return { time: `${date}T${clock}${fraction}Z`, quality: 'exact' };
  // An explicit offset: convert to UTC, keeping the fraction digits as written.
  const ms = Date.parse(`${date}T${clock}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(ms)) return { time: '', quality: 'missing' };
  return { time: `${new Date(ms).toISOString().slice(0, 19)}${fraction}Z`, quality: 'exact' };
}
