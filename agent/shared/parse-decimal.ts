// Decimal text -> number, for the per-event hot path: a digit loop, no regex and no allocation.

/** `s` (blanks around allowed) as an integer of at most 15 digits, or null. */
export function parseDecimal(s: string, allowNegative: boolean): number | null {
  let from = 0;
  let to = s.length;
  while (from < to && s.charCodeAt(from) <= 32) from++;
  while (to > from && s.charCodeAt(to - 1) <= 32) to--;
  const negative = allowNegative && s.charCodeAt(from) === 45;
  if (negative) from++;
  if (to === from || to - from > 15) return null;
  let v = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return negative ? -v : v;
}
