// Capped exponential backoff with ±20 % jitter (the OTel exporter's shape), for export retries.
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly random?: () => number;
}

export interface Backoff {
  /** The next wait; `hintMs` (Retry-After) wins when given, still capped. */
  next(hintMs?: number): number;
  reset(): void;
}

export function createBackoff(options: BackoffOptions): Backoff {
  const random = options.random ?? Math.random;
  let attempt = 0;
  return {
    next(hintMs) {
      const base = hintMs ?? Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
      attempt++;
      const jittered = hintMs === undefined ? base * (0.8 + 0.4 * random()) : base;
      return Math.round(Math.min(options.maxMs, jittered));
    },
    reset() {
      attempt = 0;
    },
  };
}
