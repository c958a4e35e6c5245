// Routine drops are counted, not logged: the pipeline asks this before building a log record.
import type { FiltersConfig } from '../config/index.ts';
import type { EventEnrichment } from './event-enrichment.ts';

/** Pure. Non-block events always log (their own switches live elsewhere); blocks log when their kind is listed. */
export function shouldLog(enrichment: EventEnrichment, filtersConfig: Pick<FiltersConfig, 'log_block_kinds'>): boolean {
  if (enrichment.blockKind === null) return true;
  return filtersConfig.log_block_kinds.includes(enrichment.blockKind);
}
