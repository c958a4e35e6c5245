export { BLOCK_KINDS } from './event-enrichment.ts';
export type {
  BlockKind,
  FilterAttribution,
  FilterLookupStatus,
  PathMapping,
  EventEnrichment,
} from './event-enrichment.ts';
export type { Enricher } from './enricher.ts';
export { createBasicEnricher } from './basic-enricher.ts';
export { createEnricher } from './full-enricher.ts';
export type { EnricherOptions } from './full-enricher.ts';
export { loadEnricher, createLiveEnrichment } from './load-enricher.ts';
export type { LoadEnricherOptions, LiveEnrichment, LiveEnrichmentOptions } from './load-enricher.ts';
export { shouldLog } from './should-log.ts';
export { addAttributionAttributes, enrichmentAttributes } from './enrichment-attributes.ts';
export type { EnrichmentAttributes } from './enrichment-attributes.ts';
export { BLOCK_KIND_RULES, classifyBlock, weightClass } from './block-classification.ts';
export type { BlockKindRule, ClassifyInput, Classification } from './block-classification.ts';
export { createFilterCatalog } from './filter-catalog.ts';
export type { FilterCatalog, FilterLookup, FilterChange, CatalogStatus, CatalogOptions } from './filter-catalog.ts';
export { parseFilterSnapshot, readFilterSnapshotFile, createInterner } from './filter-snapshot.ts';
export type { FilterSnapshot, SnapshotError, Interner } from './filter-snapshot.ts';
export { createNetshSnapshotProvider, createFileSnapshotProvider } from './snapshot-provider.ts';
export type {
  FilterSnapshotProvider,
  CommandRunner,
  CommandOutcome,
  NetshProviderOptions,
  ProviderError,
} from './snapshot-provider.ts';
export { createCatalogRefresher } from './catalog-refresher.ts';
export type { CatalogRefresher, RefresherOptions, RefreshReason } from './catalog-refresher.ts';
export { createVolumeMap, mapApplicationPath, executableNameOf, EMPTY_VOLUME_MAP } from './volume-map.ts';
export type { VolumeMap, MappedPath } from './volume-map.ts';
export { normalizeProviderKey, normalizeLayerKey, normalizeAction, rulesetName } from './wfp-names.ts';
