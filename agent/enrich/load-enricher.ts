// Building an enricher from the configuration: offline (a recorded snapshot file, for explain/replay) or live
// (a snapshot provider with timer and miss refresh).
import type { AgentConfig } from '../config/index.ts';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { Enricher } from './enricher.ts';
import type { FilterCatalog } from './filter-catalog.ts';
import { createFilterCatalog } from './filter-catalog.ts';
import { readFilterSnapshotFile } from './filter-snapshot.ts';
import { createEnricher } from './full-enricher.ts';
import type { CatalogRefresher } from './catalog-refresher.ts';
import type { Timers } from '../shared/index.ts';
import { createCatalogRefresher } from './catalog-refresher.ts';
import type { FilterSnapshotProvider } from './snapshot-provider.ts';
import type { VolumeMap } from './volume-map.ts';
import { createVolumeMap } from './volume-map.ts';

export interface LoadEnricherOptions {
  /** A `netsh wfp show filters` XML; overrides `filters.file`. */
  readonly filtersFile?: string;
  readonly config: AgentConfig;
  /** Drive → device path, added to `paths.volume_map` (on Windows: from QueryDosDevice). */
  readonly volumeMap?: Readonly<Record<string, string>>;
  readonly now?: () => number;
}

function volumeMapOf(config: AgentConfig, extra: Readonly<Record<string, string>> | undefined): VolumeMap {
  return createVolumeMap({ ...config.paths.volume_map, ...extra });
}

function catalogOf(config: AgentConfig, now: (() => number) | undefined): FilterCatalog {
  const staleAfterMs = config.filters.stale_after_s * 1000;
  return createFilterCatalog(now === undefined ? { staleAfterMs } : { staleAfterMs, now });
}

/**
 * Offline enricher: the snapshot file (if any) loaded once, then kept current by 5441/5447 events.
 * Errors are one line naming the file (unreadable, not a wfpdiag XML, not well-formed, …).
 */
export function loadEnricher(options: LoadEnricherOptions): Result<Enricher> {
  const catalog = catalogOf(options.config, options.now);
  const file = options.filtersFile ?? (options.config.filters.file === '' ? undefined : options.config.filters.file);
  if (file !== undefined) {
    const snapshot = readFilterSnapshotFile(file);
    if (!snapshot.ok) return err(snapshot.reason, snapshot.detail);
    catalog.replaceSnapshot(snapshot.value);
  }
  return ok(createEnricher({ catalog, volumeMap: volumeMapOf(options.config, options.volumeMap) }));
}

export interface LiveEnrichment {
  readonly enricher: Enricher;
  readonly catalog: FilterCatalog;
  /** null when `filters.snapshot: off`. Call start() before reading events, shutdown() at the end. */
  readonly refresher: CatalogRefresher | null;
}

export interface LiveEnrichmentOptions {
  readonly config: AgentConfig;
  /** netsh on Windows (createNetshSnapshotProvider), a recorded file elsewhere. */
  readonly provider: FilterSnapshotProvider;
  readonly volumeMap?: Readonly<Record<string, string>>;
  readonly now?: () => number;
  readonly timers?: Timers;
  readonly onError?: (detail: string) => void;
}

/** Live enricher: snapshot at start, on the timer and on cache misses (rate-limited), events in between. */
export function createLiveEnrichment(options: LiveEnrichmentOptions): LiveEnrichment {
  const { config } = options;
  const catalog = catalogOf(config, options.now);
  const refresher =
    config.filters.snapshot === 'off'
      ? null
      : createCatalogRefresher({
          catalog,
          provider: options.provider,
          intervalMs: config.filters.refresh_interval_s * 1000,
          missMinIntervalMs: config.filters.miss_refresh_min_interval_s * 1000,
          ...(options.now === undefined ? {} : { now: options.now }),
          ...(options.timers === undefined ? {} : { timers: options.timers }),
          ...(options.onError === undefined ? {} : { onError: options.onError }),
        });
  const enricher = createEnricher({
    catalog,
    volumeMap: volumeMapOf(config, options.volumeMap),
    skipFilterEventsBeforeSnapshot: true,
    ...(refresher === null ? {} : { onMiss: (id: number) => refresher.onMiss(id) }),
  });
  return { enricher, catalog, refresher };
}
