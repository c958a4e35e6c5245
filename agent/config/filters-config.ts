// The `filters` and `paths` sections: filter catalog, block classification, NT path mapping.
import type { BlockKind } from '../shared/index.ts';

export interface FiltersConfig {
  /** `auto`: take a `netsh wfp show filters` snapshot at start and on refresh (Windows); `off`: events only. */
  readonly snapshot: 'auto' | 'off';
  /** A recorded `netsh wfp show filters` XML to use instead of a live snapshot; '' = none. */
  readonly file: string;
  /** Take a fresh snapshot this often (seconds); 0 = only at start. */
  readonly refresh_interval_s: number;
  /** A block naming an unknown filter id triggers a refresh, at most this often (seconds); 0 = never. */
  readonly miss_refresh_min_interval_s: number;
  /** Lookups on a snapshot older than this are flagged stale (seconds); 0 = never. */
  readonly stale_after_s: number;
  /** Block kinds that become log records; the others are only counted in metrics. */
  readonly log_block_kinds: readonly BlockKind[];
}

export interface PathsConfig {
  /** Drive → NT device path (`C:` → `\Device\HarddiskVolume2`). Live on Windows: added to QueryDosDevice's map. */
  readonly volume_map: Readonly<Record<string, string>>;
}
