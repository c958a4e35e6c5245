// Enrichment without a snapshot or volume map: the catalog only learns from 5441/5447 events as they pass,
// NT paths stay NT paths (flagged), and blocks are classified from what the event itself says.
import type { Enricher } from './enricher.ts';
import { createFilterCatalog } from './filter-catalog.ts';
import { createEnricher } from './full-enricher.ts';

export function createBasicEnricher(): Enricher {
  return createEnricher({ catalog: createFilterCatalog() });
}
