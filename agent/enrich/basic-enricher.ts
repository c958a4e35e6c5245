// Enrichment without a filter catalog or volume map: the executable name and raw path only.
// The attribution work replaces this with the catalog- and volume-map-backed enricher.
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from './event-enrichment.ts';
import type { Enricher } from './enricher.ts';

export function createBasicEnricher(): Enricher {
  return {
    enrich(event: WfpEvent): EventEnrichment {
      const body = event.body;
      const raw = body.type === 'network' || body.type === 'firewall-app-block' ? body.application.raw : '';
      const isBlock = body.type === 'network' ? body.outcome !== 'allowed' : body.type === 'firewall-app-block';
      return {
        filter: null,
        blockKind: isBlock ? 'unknown' : null,
        executablePath: raw,
        pathMapping: /^[a-z]:\\/i.test(raw) ? 'already-dos' : /^\\device\\/i.test(raw) ? 'unknown-volume' : 'not-a-path',
      };
    },
  };
}
