// Filter run-time id → what the filter is. Filled from a netsh snapshot and kept current by 5441 (present at
// BFE start) and 5447 (added / deleted) events, in log order. Run-time ids change when a filter is deleted and
// re-added, so the catalog also indexes filter keys (GUIDs): an Add for a known key retires the old id.
import type { FilterEvent } from '../interpret/index.ts';
import type { FilterAttribution } from './event-enrichment.ts';
import type { FilterSnapshot, Interner } from './filter-snapshot.ts';
import { createInterner } from './filter-snapshot.ts';
import { firewallRuleName } from './block-classification.ts';
import { normalizeAction, normalizeLayerKey, normalizeProviderKey, rulesetName } from './wfp-names.ts';

export type FilterLookup =
  | { readonly status: 'found'; readonly filter: FilterAttribution; readonly stale: boolean }
  /** The id belonged to this filter, which has since been deleted (or re-added under a new id). */
  | { readonly status: 'deleted'; readonly filter: FilterAttribution; readonly stale: boolean }
  | { readonly status: 'not-found'; readonly stale: boolean };

export type FilterChange = 'present' | 'added' | 'deleted' | 'ignored';

export interface CatalogStatus {
  readonly size: number;
  /** Clock time (ms) of the last snapshot, or null when none was loaded. */
  readonly snapshotAt: number | null;
  readonly snapshotSource: string | null;
  readonly learnedFromEvents: number;
  readonly stale: boolean;
}

export interface FilterCatalog {
  /** Replace everything with a snapshot taken now. */
  replaceSnapshot(snapshot: FilterSnapshot): void;
  /** Apply a 5441/5447 event (in log order). */
  applyFilterEvent(event: FilterEvent): FilterChange;
  lookup(filterId: number): FilterLookup;
  filters(): IterableIterator<FilterAttribution>;
  status(): CatalogStatus;
}

export interface CatalogOptions {
  /** ms since epoch; injected so tests control time. */
  readonly now?: () => number;
  /** A snapshot older than this is stale (lookups say so); 0 = never. */
  readonly staleAfterMs?: number;
  /** How many deleted ids to remember for `deleted` answers (oldest forgotten first). */
  readonly maxTombstones?: number;
}

const CHANGE_ADD = 16384;
const CHANGE_DELETE = 16385;
const TYPE_BOOT_TIME = 16386;

class Catalog implements FilterCatalog {
  readonly #now: () => number;
  readonly #staleAfterMs: number;
  readonly #maxTombstones: number;
  #byId = new Map<number, FilterAttribution>();
  #idByKey = new Map<string, number>();
  #tombstones = new Map<number, FilterAttribution>();
  #intern: Interner = createInterner();
  #snapshotAt: number | null = null;
  #snapshotSource: string | null = null;
  #learned = 0;

  constructor(options: CatalogOptions) {
    this.#now = options.now ?? Date.now;
    this.#staleAfterMs = options.staleAfterMs ?? 0;
    this.#maxTombstones = options.maxTombstones ?? 4096;
  }

  replaceSnapshot(snapshot: FilterSnapshot): void {
    this.#byId = new Map();
    this.#idByKey = new Map();
    this.#tombstones = new Map();
    this.#intern = createInterner();
    for (const f of snapshot.filters) this.#put(f);
    this.#snapshotAt = this.#now();
    this.#snapshotSource = snapshot.source;
    this.#learned = 0;
  }

  applyFilterEvent(event: FilterEvent): FilterChange {
    const id = event.filterId;
    if (id === null || id <= 0) return 'ignored';
    const change = event.changeType?.code ?? null;
    if (event.eventId === 5447 && change === CHANGE_DELETE) {
      const known = this.#byId.get(id);
      this.#retire(id, known ?? this.#fromEvent(event));
      return 'deleted';
    }
    if (event.eventId === 5447 && change !== CHANGE_ADD) return 'ignored';
    const entry = this.#fromEvent(event);
    const current = this.#byId.get(id);
    if (current !== undefined && current.learnedFrom === 'snapshot' && current.filterKey === entry.filterKey && entry.filterKey !== '') {
      // The snapshot already has this filter, with more detail (description, sub-layer, flags) than the event.
      return event.eventId === 5441 ? 'present' : 'added';
    }
    const previous = entry.filterKey === '' ? undefined : this.#idByKey.get(entry.filterKey);
    if (previous !== undefined && previous !== id) this.#retire(previous, this.#byId.get(previous) ?? entry);
    this.#tombstones.delete(id);
    this.#put(entry);
    this.#learned += 1;
    return event.eventId === 5441 ? 'present' : 'added';
  }

  lookup(filterId: number): FilterLookup {
    const stale = this.#isStale();
    const filter = this.#byId.get(filterId);
    if (filter !== undefined) return { status: 'found', filter, stale };
    const gone = this.#tombstones.get(filterId);
    if (gone !== undefined) return { status: 'deleted', filter: gone, stale };
    return { status: 'not-found', stale };
  }

  filters(): IterableIterator<FilterAttribution> {
    return this.#byId.values();
  }

  status(): CatalogStatus {
    return {
      size: this.#byId.size,
      snapshotAt: this.#snapshotAt,
      snapshotSource: this.#snapshotSource,
      learnedFromEvents: this.#learned,
      stale: this.#isStale(),
    };
  }

  #isStale(): boolean {
    if (this.#snapshotAt === null) return this.#byId.size === 0;
    return this.#staleAfterMs > 0 && this.#now() - this.#snapshotAt > this.#staleAfterMs;
  }

  #put(f: FilterAttribution): void {
    const old = this.#byId.get(f.filterId);
    if (old !== undefined && old.filterKey !== '' && this.#idByKey.get(old.filterKey) === f.filterId) {
      this.#idByKey.delete(old.filterKey);
    }
    this.#byId.set(f.filterId, f);
    if (f.filterKey !== '') this.#idByKey.set(f.filterKey, f.filterId);
  }

  #retire(id: number, last: FilterAttribution): void {
    this.#byId.delete(id);
    if (last.filterKey !== '' && this.#idByKey.get(last.filterKey) === id) this.#idByKey.delete(last.filterKey);
    this.#tombstones.delete(id);
    this.#tombstones.set(id, last);
    if (this.#tombstones.size > this.#maxTombstones) {
      const oldest = this.#tombstones.keys().next();
      if (oldest.done !== true) this.#tombstones.delete(oldest.value);
    }
  }

  #fromEvent(e: FilterEvent): FilterAttribution {
    const i = this.#intern;
    const providerKey = i(normalizeProviderKey(e.providerKey));
    const providerName = i(e.providerName === '-' ? '' : e.providerName);
    const name = i(e.filterName);
    const ruleset = rulesetName(providerKey, providerName);
    return {
      filterId: e.filterId ?? 0,
      name,
      description: '',
      providerKey,
      providerName,
      layerKey: i(normalizeLayerKey(e.layerKey)),
      action: i(normalizeAction(e.action?.raw ?? '')),
      weight: i(/^\d+$/.test(e.weight.trim()) ? e.weight.trim() : ''),
      ruleName: firewallRuleName(providerKey, name, e.weight.trim()),
      rulesetName: ruleset === null ? null : i(ruleset),
      learnedFrom: e.eventId === 5441 ? 'event-5441' : 'event-5447',
      subLayerKey: '',
      bootTime: e.filterType?.code === TYPE_BOOT_TIME,
      conditionCount: countConditions(e.conditions),
      filterKey: e.filterKey.trim().toLowerCase(),
    };
  }
}

/** 5441/5447 `Conditions` text lists one `Condition ID:` per condition; null when the field is absent. */
function countConditions(text: string): number | null {
  const t = text.trim();
  if (t === '-') return 0;
  const n = (t.match(/Condition ID:/g) ?? []).length;
  return n > 0 ? n : null; // absent, or rendered in another language
}

export function createFilterCatalog(options: CatalogOptions = {}): FilterCatalog {
  return new Catalog(options);
}
