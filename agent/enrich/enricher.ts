// The enrich stage's contract: an interpreted event in, what we know about why it happened out.
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from './event-enrichment.ts';

export interface Enricher {
  /**
   * Enrich one event. Filter events (5441/5447) also update the enricher's catalog, so it must see every
   * event in log order. Never throws: what is unknown stays unknown (null / raw).
   */
  enrich(event: WfpEvent): EventEnrichment;
}
