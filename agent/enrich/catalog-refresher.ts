// Keeps the catalog's snapshot fresh: one at start, one every interval, and one when a block names an unknown
// filter id, rate-limited (a burst of misses costs one netsh run, not hundreds). Never two at once.
import { UNREF_TIMERS } from '../shared/index.ts';
import type { Timers } from '../shared/index.ts';
import type { Result } from '../shared/index.ts';
import { ok } from '../shared/index.ts';
import type { FilterCatalog } from './filter-catalog.ts';
import type { FilterSnapshotProvider, ProviderError } from './snapshot-provider.ts';

export interface RefresherOptions {
  readonly catalog: FilterCatalog;
  readonly provider: FilterSnapshotProvider;
  readonly now?: () => number;
  /** 0 = no periodic refresh. */
  readonly intervalMs: number;
  /** 0 = misses never trigger a refresh. */
  readonly missMinIntervalMs: number;
  readonly timers?: Timers;
  /** One line per failed refresh (the catalog keeps its previous content). */
  readonly onError?: (detail: string) => void;
}

export type RefreshReason = 'start' | 'timer' | 'miss';

export interface CatalogRefresher {
  /** Take the first snapshot and start the timer. */
  start(): Promise<Result<void, ProviderError>>;
  /** A block named an id the catalog lacks; refreshes when the rate limit allows. */
  onMiss(filterId: number): void;
  /** Refresh now (returns the in-flight refresh if one is running). */
  refresh(reason: RefreshReason): Promise<Result<void, ProviderError>>;
  /** How many refreshes ran, by reason (for self-metrics and tests). */
  counts(): Readonly<Record<RefreshReason, number>>;
  /** Wait for an in-flight refresh. */
  idle(): Promise<void>;
  shutdown(): Promise<void>;
}

export function createCatalogRefresher(options: RefresherOptions): CatalogRefresher {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? UNREF_TIMERS;
  const counts: Record<RefreshReason, number> = { start: 0, timer: 0, miss: 0 };
  let inFlight: Promise<Result<void, ProviderError>> | null = null;
  let lastAttempt: number | null = null;
  let handle: unknown = null;
  let stopped = false;

  function refresh(reason: RefreshReason): Promise<Result<void, ProviderError>> {
    if (inFlight !== null) return inFlight;
    counts[reason] += 1;
    lastAttempt = now();
    inFlight = (async () => {
      const taken = await options.provider.take();
      if (!taken.ok) {
        options.onError?.(taken.detail);
        return taken;
      }
      if (!stopped) options.catalog.replaceSnapshot(taken.value);
      return ok(undefined);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async start() {
      const first = await refresh('start');
      if (options.intervalMs > 0 && !stopped) {
        handle = timers.setInterval(() => void refresh('timer'), options.intervalMs);
      }
      return first;
    },
    onMiss() {
      if (stopped || options.missMinIntervalMs <= 0 || inFlight !== null) return;
      if (lastAttempt !== null && now() - lastAttempt < options.missMinIntervalMs) return;
      void refresh('miss');
    },
    refresh,
    counts: () => ({ ...counts }),
    async idle() {
      if (inFlight !== null) await inFlight;
    },
    async shutdown() {
      stopped = true;
      if (handle !== null) timers.clearInterval(handle);
      handle = null;
      if (inFlight !== null) await inFlight;
    },
  };
}
