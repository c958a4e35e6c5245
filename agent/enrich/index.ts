export { BLOCK_KINDS } from './event-enrichment.ts';
export type { BlockKind, FilterAttribution, PathMapping, EventEnrichment } from './event-enrichment.ts';
