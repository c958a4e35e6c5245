// Small normalizers shared by the XML and JSON decoders, so both forms give identical raw records.
import { parseDecimal, readDateTime } from '../shared/index.ts';
import type { RawRecord } from './raw-record.ts';

export function toIntOrNull(s: string | number | undefined | null): number | null {
  if (s === undefined || s === null) return null;
  if (typeof s === 'number') return Number.isSafeInteger(s) ? s : null;
  return parseDecimal(s, true);
}

/** `{54849625-…}` in upper case with braces; '' when absent. */
const guids = new Map<string, string>();

export function normalizeGuid(s: string | undefined): string {
  if (s === undefined || s === '') return '';
  // A handful of provider GUIDs recur in every event: remember their normal form (bounded).
  let g = guids.get(s);
  if (g === undefined) {
    const t = s.trim().toUpperCase();
    g = t.startsWith('{') ? t : `{${t}}`;
    if (guids.size < 256) guids.set(s, g);
  }
  return g;
}

/** Keywords as `0x` + 16 lower-case hex digits. Accepts hex text or a (signed) 64-bit decimal. */
export function normalizeKeywords(s: string | undefined): string {
  if (s === undefined) return '';
  const t = s.trim();
  if (t === '') return '';
  // Windows writes exactly this form (lower-case hex after 0x); return it as is.
  if (t.length === 18 && isLowerHexKeywords(t)) return t;
  try {
    let v = /^0x/i.test(t) ? BigInt(t) : BigInt(t);
    if (v < 0n) v += 1n << 64n;
    if (v < 0n || v >= 1n << 64n) return '';
    return `0x${v.toString(16).padStart(16, '0')}`;
  } catch {
    return '';
  }
}

function isLowerHexKeywords(t: string): boolean {
  if (t.charCodeAt(0) !== 48 || t.charCodeAt(1) !== 120) return false;
  for (let k = 2; k < 18; k++) {
    const c = t.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

export type TimeQuality = RawRecord['timeQuality'];

/**
 * Event time as RFC 3339 UTC, keeping every fraction digit the input had.
 * `2019-02-13 18:01:47.512341` (python-evtx, shippers) has no zone: taken as UTC and flagged.
 * A character scan, no regex: it runs for every event, and the usual Windows form comes back unchanged.
 */
export function normalizeTime(s: string | undefined): { time: string; quality: TimeQuality } {
  const t = s === undefined ? '' : s.trim();
  const dt = readDateTime(t);
  if (dt === null) return { time: '', quality: 'missing' };
  let k = 19;
  if (t.charCodeAt(k) === 46 /* . */) {
    k++;
    const from = k;
    while (k < t.length && t.charCodeAt(k) >= 48 && t.charCodeAt(k) <= 57) k++;
    if (k === from || k - from > 9) return { time: '', quality: 'missing' };
  }
  const fractionEnd = k;
  const zone = t.slice(k);
  const canonical = t.charCodeAt(10) === 84;
  if (zone === '') return { time: `${t.slice(0, 10)}T${t.slice(11, fractionEnd)}Z`, quality: 'assumed-utc' };
  if (zone === 'Z') return { time: canonical ? t : `${t.slice(0, 10)}T${t.slice(11)}`, quality: 'exact' };
  // An explicit offset: convert to UTC, keeping the fraction digits as written.
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (z === null) return { time: '', quality: 'missing' };
  const offsetMs = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  const utc = Date.UTC(dt.y, dt.mo - 1, dt.d, dt.h, dt.mi, dt.se) - offsetMs;
  return { time: `${new Date(utc).toISOString().slice(0, 19)}${t.slice(19, fractionEnd)}Z`, quality: 'exact' };
}
