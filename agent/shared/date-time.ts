// The digits of a date-time, read by character (no regex, no Date): decode and export read one per event.

/** The numbers of `YYYY-MM-DD?HH:MM:SS` at the start of `s` (any separator at 10), or null when not that form. */
export function readDateTime(s: string): { y: number; mo: number; d: number; h: number; mi: number; se: number } | null {
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const c = s.charCodeAt(10);
  if (c !== 84 /* T */ && c !== 32) return null;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  // An impossible time is no time (Date.UTC would roll month 13 into the next year).
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return null;
  return { y, mo, d, h, mi, se };
}

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let k = from; k < from + count; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
