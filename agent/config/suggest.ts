// "Did you mean …?" for unknown keys: the closest valid key by edit distance.

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance that still reads as a typo, or null. */
export function suggestKey(unknown: string, candidates: readonly string[]): string | null {
  const lower = unknown.toLowerCase().replace(/-/g, '_');
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // camelCase spelled keys map onto their snake_case form (STYLE.md §9).
    const d = editDistance(lower, c.toLowerCase()) - (c === toSnake(unknown) ? 100 : 0);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(unknown.length / 3));
  return best !== null && bestDistance <= limit ? best : null;
}

function toSnake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
