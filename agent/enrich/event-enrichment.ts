// What enrichment adds to an interpreted event: which filter/rule decided it, what kind of block it was,
// and the application's path as an admin would write it.
import type { BlockKind } from '../shared/index.ts';

export type { BlockKind };
export { BLOCK_KINDS } from '../shared/index.ts';

export interface FilterAttribution {
  readonly filterId: number;
  readonly name: string;
  readonly description: string;
  /** Symbolic key when known (`FWPM_PROVIDER_MPSSVC_WF`), else the lower-case GUID; '' when the filter has none. */
  readonly providerKey: string;
  readonly providerName: string;
  /** Symbolic layer key when known (`FWPM_LAYER_ALE_AUTH_CONNECT_V4`), else the lower-case GUID. */
  readonly layerKey: string;
  /** `block`, `permit`, `callout`, … in lower case; '' when unknown. */
  readonly action: string;
  /** Effective weight as a decimal uint64 (the value 5441/5447 log and netsh prints as effectiveWeight); '' unknown. */
  readonly weight: string;
  /** Windows Defender Firewall rule name as the console shows it, when the filter is a firewall rule. */
  readonly ruleName: string | null;
  /** Rule set: `Windows Defender Firewall`, `Windows Service Hardening`, a provider's name, … */
  readonly rulesetName: string | null;
  /** Where the catalog learned this filter. */
  readonly learnedFrom: 'snapshot' | 'event-5441' | 'event-5447';
  /** Sub-layer (symbolic or GUID); '' when the source does not say (5441/5447 do not). */
  readonly subLayerKey: string;
  /** Boot-time filter (netsh flag FWPM_FILTER_FLAG_BOOTTIME, or 5441/5447 type Boot-time). */
  readonly bootTime: boolean;
  /** Number of filter conditions; null when unknown. A block filter without conditions blocks everything. */
  readonly conditionCount: number | null;
  /** Filter GUID in lower case with braces; '' when unknown. */
  readonly filterKey: string;
}

export type PathMapping = 'mapped' | 'unc' | 'unknown-volume' | 'already-dos' | 'not-a-path';

/**
 * How the event's FilterRTID was resolved: `found` in the catalog, `deleted` (known, but deleted since: the
 * attribution is the filter that had the id), `not-found`, or `no-filter` (no id, or id 0).
 */
export type FilterLookupStatus = 'found' | 'deleted' | 'not-found' | 'no-filter';

export interface EventEnrichment {
  readonly filter: FilterAttribution | null;
  /** Set for block/drop events; null for allowed and non-network events. */
  readonly blockKind: BlockKind | null;
  /** Drive-letter or UNC path when the NT path could be mapped; otherwise the raw path. */
  readonly executablePath: string;
  readonly pathMapping: PathMapping;
  /** Last path component (`svchost.exe`), `System`, or '' when the event has no application. */
  readonly executableName: string;
  readonly filterLookup: FilterLookupStatus;
  /** The catalog was older than `filters.stale_after_s` (or empty) when this event was enriched. */
  readonly catalogStale: boolean;
  /** Id of the decision-table row that chose `blockKind` (agent/README.md "Attribution"); '' when not a block. */
  readonly blockKindRule: string;
}
