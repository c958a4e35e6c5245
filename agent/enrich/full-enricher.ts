// The enricher the agent runs: filter catalog + volume map + block classification, all in memory.
// Filter events (5441/5447) update the catalog as they pass, so events must arrive in log order.
import type { NetworkEvent, WfpEvent } from '../interpret/index.ts';
import { classifyBlock } from './block-classification.ts';
import type { Enricher } from './enricher.ts';
import type { EventEnrichment, FilterAttribution, FilterLookupStatus } from './event-enrichment.ts';
import type { FilterCatalog } from './filter-catalog.ts';
import type { VolumeMap } from './volume-map.ts';
import { EMPTY_VOLUME_MAP, mapApplicationPath } from './volume-map.ts';

export interface EnricherOptions {
  readonly catalog: FilterCatalog;
  readonly volumeMap?: VolumeMap;
  /** Called when a block names a filter id the catalog does not know (the refresher rate-limits). */
  readonly onMiss?: (filterId: number) => void;
  /**
   * Live: a 5441/5447 logged before the current snapshot was taken is already reflected in it (and may name
   * ids that are gone), so it is not applied. Off for replay, where a snapshot file's time says nothing.
   */
  readonly skipFilterEventsBeforeSnapshot?: boolean;
}

interface FilterResult {
  readonly filter: FilterAttribution | null;
  readonly status: FilterLookupStatus;
  readonly stale: boolean;
}

export function createEnricher(options: EnricherOptions): Enricher {
  const { catalog } = options;
  const volumeMap = options.volumeMap ?? EMPTY_VOLUME_MAP;

  function resolveFilter(n: NetworkEvent): FilterResult {
    const id = n.filterRtId;
    if (id === null || id === 0) return { filter: null, status: 'no-filter', stale: catalog.status().stale };
    const found = catalog.lookup(id);
    if (found.status === 'not-found') {
      if (n.outcome !== 'allowed') options.onMiss?.(id);
      return { filter: null, status: 'not-found', stale: found.stale };
    }
    return { filter: found.filter, status: found.status, stale: found.stale };
  }

  function predatesSnapshot(event: WfpEvent): boolean {
    const taken = catalog.status().snapshotAt;
    const logged = Date.parse(event.raw.time);
    return taken !== null && Number.isFinite(logged) && logged < taken;
  }

  return {
    enrich(event: WfpEvent): EventEnrichment {
      const body = event.body;
      if (body.type === 'filter' && !(options.skipFilterEventsBeforeSnapshot === true && predatesSnapshot(event))) {
        catalog.applyFilterEvent(body);
      }
      if (body.type !== 'network' && body.type !== 'firewall-app-block') {
        return {
          filter: null,
          blockKind: null,
          executablePath: '',
          pathMapping: 'not-a-path',
          executableName: '',
          filterLookup: 'no-filter',
          catalogStale: false,
          blockKindRule: '',
        };
      }
      const path = mapApplicationPath(body.application.raw, volumeMap);
      const executableName = path.executableName !== '' ? path.executableName : body.application.executableName;
      const resolved: FilterResult =
        body.type === 'network' ? resolveFilter(body) : { filter: null, status: 'no-filter', stale: false };
      const isBlock = body.type === 'firewall-app-block' || body.outcome !== 'allowed';
      const cls = isBlock
        ? classifyBlock({
            eventId: body.eventId,
            filter: resolved.filter,
            filterOrigin: body.type === 'network' ? body.filterOrigin : null,
          })
        : null;
      return {
        filter: resolved.filter,
        blockKind: cls?.kind ?? null,
        executablePath: path.path,
        pathMapping: path.mapping,
        executableName,
        filterLookup: resolved.status,
        catalogStale: resolved.stale,
        blockKindRule: cls?.rule ?? '',
      };
    },
  };
}
