// Per-event-id rate limits for log records (`events.rate_limits`): at most N records per second per id; the rest
// are only counted. Pure: the caller passes the time (wall clock live, event time on replay).

/**
 * Events an admin must see one by one (app, listen, connection and bind blocks; audit-policy changes and log
 * clears, rare and security-relevant): a limit applies to them only when listed by their own id, never by `*`.
 */
export const NEVER_SUPPRESSED_BY_DEFAULT: readonly number[] = [5031, 5155, 5157, 5159, 4719, 1102];

export interface RateLimiter {
  /** The limit that applies to this id (per second), or null when none does. */
  limitFor(eventId: number): number | null;
  /** True when one more record of this id fits in the current second (and counts it); false: over the limit. */
  admit(eventId: number, nowMs: number): boolean;
}

/** `limits`: event id (as text, the YAML key) or `*` → records per second. */
export function createRateLimiter(limits: Readonly<Record<string, number>>): RateLimiter {
  const byId = new Map<number, number>();
  let other: number | null = null;
  for (const [key, perSecond] of Object.entries(limits)) {
    if (key === '*') other = perSecond;
    else byId.set(Number(key), perSecond);
  }
  const limitFor = (eventId: number): number | null => {
    const own = byId.get(eventId);
    if (own !== undefined) return own;
    return other !== null && !NEVER_SUPPRESSED_BY_DEFAULT.includes(eventId) ? other : null;
  };
  // One fixed one-second bucket per limited id: memory is bounded by the ids, not by the event rate.
  const buckets = new Map<number, { second: number; used: number }>();
  return {
    limitFor,
    admit(eventId, nowMs) {
      const limit = limitFor(eventId);
      if (limit === null) return true;
      const second = Math.floor(nowMs / 1000);
      let b = buckets.get(eventId);
      if (b === undefined) {
        b = { second, used: 0 };
        buckets.set(eventId, b);
      } else if (b.second !== second) {
        b.second = second;
        b.used = 0;
      }
      if (b.used >= limit) return false;
      b.used++;
      return true;
    },
  };
}
