export { BLOCK_KINDS } from './event-enrichment.ts';
export type { BlockKind, FilterAttribution, PathMapping, EventEnrichment } from './event-enrichment.ts';
export type { Enricher } from './enricher.ts';
export { createBasicEnricher } from './basic-enricher.ts';
