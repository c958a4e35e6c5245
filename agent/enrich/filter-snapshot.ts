// `netsh wfp show filters` XML (root <wfpdiag>, UTF-8 with BOM, names localized) → catalog entries.
//
//   file ──64 KiB chunks──► TextDecoder (drops the BOM) ──► saxes (streaming) ──► only the fields we keep
//
// Memory stays bounded by the number of filters, not the file size: the text is never held whole, condition
// subtrees are only counted, and repeated strings (names, descriptions, layer keys) are interned.
import { closeSync, openSync, readSync } from 'node:fs';
import { SaxesParser } from 'saxes';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { FilterAttribution } from './event-enrichment.ts';
import { firewallRuleName } from './block-classification.ts';
import { normalizeAction, normalizeLayerKey, normalizeProviderKey, rulesetName } from './wfp-names.ts';

export interface FilterSnapshot {
  readonly filters: readonly FilterAttribution[];
  readonly providerCount: number;
  /** File name or label, for messages. */
  readonly source: string;
}

export type SnapshotError = 'unreadable' | 'not-wfpdiag' | 'xml-error' | 'no-filters';

export type Interner = (s: string) => string;

/**
 * A copy that owns its characters. Parser text is often a slice of the 64 KiB chunk it came from, and V8 keeps
 * the whole chunk alive for as long as the slice lives: storing slices retained ~1.6 KB per filter.
 */
export function detached(s: string): string {
  return s.length === 0 ? '' : Buffer.from(s, 'utf8').toString('utf8');
}

/** Dedupes strings; past `maxEntries` it starts afresh (stored strings stay valid, only sharing resets). */
export function createInterner(maxEntries = 100_000): Interner {
  const seen = new Map<string, string>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    const own = detached(s);
    if (seen.size >= maxEntries) seen.clear();
    seen.set(own, own);
    return own;
  };
}

interface PendingFilter {
  filterKey: string;
  name: string;
  description: string;
  flags: string[];
  providerKey: string;
  layerKey: string;
  subLayerKey: string;
  action: string;
  effectiveWeight: string;
  filterId: string;
  conditionCount: number | null;
}

function emptyFilter(): PendingFilter {
  return {
    filterKey: '',
    name: '',
    description: '',
    flags: [],
    providerKey: '',
    layerKey: '',
    subLayerKey: '',
    action: '',
    effectiveWeight: '',
    filterId: '',
    conditionCount: 0,
  };
}

/** Element paths (below <wfpdiag>) whose text we keep, by the field they fill. */
const FILTER_FIELDS: Readonly<Record<string, keyof PendingFilter | 'flag'>> = {
  'filters/item/filterKey': 'filterKey',
  'filters/item/displayData/name': 'name',
  'filters/item/displayData/description': 'description',
  'filters/item/flags/item': 'flag',
  'filters/item/providerKey': 'providerKey',
  'filters/item/layerKey': 'layerKey',
  'filters/item/subLayerKey': 'subLayerKey',
  'filters/item/action/type': 'action',
  'filters/item/effectiveWeight/uint64': 'effectiveWeight',
  'filters/item/filterId': 'filterId',
};

/** Streaming parser state; feed text chunks, then finish(). */
class SnapshotReader {
  readonly #source: string;
  readonly #intern: Interner;
  readonly #parser = new SaxesParser({ position: true });
  readonly #path: string[] = [];
  readonly #pending: PendingFilter[] = [];
  readonly #providerNames = new Map<string, string>();
  #current: PendingFilter | null = null;
  #providerKey = '';
  #providerName = '';
  #text: string | null = null;
  #sawFilters = false;
  #error: { reason: SnapshotError; detail: string } | null = null;

  constructor(source: string, intern: Interner) {
    this.#source = source;
    this.#intern = intern;
    this.#parser.on('opentag', (tag) => {
      if (this.#error === null) this.#open(tag.name);
    });
    this.#parser.on('closetag', (tag) => {
      if (this.#error === null) this.#close(tag.name);
    });
    this.#parser.on('text', (t) => {
      if (this.#text !== null) this.#text += t;
    });
    this.#parser.on('error', (e) => {
      this.#error ??= { reason: 'xml-error', detail: `not well-formed XML: ${e.message.split('\n')[0]}` };
    });
  }

  write(chunk: string): boolean {
    if (this.#error === null) this.#parser.write(chunk);
    return this.#error === null;
  }

  finish(): Result<FilterSnapshot, SnapshotError> {
    if (this.#error === null) this.#parser.close();
    if (this.#error !== null) return err(this.#error.reason, `${this.#source}: ${this.#error.detail}`);
    if (!this.#sawFilters) {
      return err('no-filters', `${this.#source}: a <wfpdiag> without a <filters> list (not 'netsh wfp show filters' output)`);
    }
    const filters = this.#pending.flatMap((p) => {
      const a = this.#attribution(p);
      return a === null ? [] : [a];
    });
    return ok({ filters, providerCount: this.#providerNames.size, source: this.#source });
  }

  #open(name: string): void {
    const depth = this.#path.length;
    if (depth === 0 && name !== 'wfpdiag') {
      this.#error = { reason: 'not-wfpdiag', detail: `root element is <${name}>, expected <wfpdiag> (netsh wfp show filters)` };
      return;
    }
    this.#path.push(name);
    const rel = this.#path.slice(1).join('/');
    if (rel === 'filters') this.#sawFilters = true;
    else if (rel === 'filters/item') this.#current = emptyFilter();
    else if (rel === 'filters/item/filterCondition/item' && this.#current !== null) {
      this.#current.conditionCount = (this.#current.conditionCount ?? 0) + 1;
    } else if (rel === 'providers/item') {
      this.#providerKey = '';
      this.#providerName = '';
    }
    if (FILTER_FIELDS[rel] !== undefined || rel === 'providers/item/providerKey' || rel === 'providers/item/displayData/name') {
      this.#text = '';
    }
  }

  #close(_name: string): void {
    const rel = this.#path.slice(1).join('/');
    const text = this.#text;
    this.#text = null;
    this.#path.pop();
    const field = FILTER_FIELDS[rel];
    const f = this.#current;
    if (field !== undefined && f !== null && text !== null) {
      const value = text.trim();
      if (field === 'flag') f.flags.push(value);
      else if (field !== 'conditionCount') (f as unknown as Record<string, string>)[field] = value;
    } else if (rel === 'filters/item' && f !== null) {
      this.#pending.push(f);
      this.#current = null;
    } else if (rel === 'providers/item/providerKey' && text !== null) {
      this.#providerKey = normalizeProviderKey(text);
    } else if (rel === 'providers/item/displayData/name' && text !== null) {
      this.#providerName = text.trim();
    } else if (rel === 'providers/item' && this.#providerKey !== '') {
      this.#providerNames.set(this.#providerKey, this.#intern(this.#providerName));
    }
  }

  #attribution(p: PendingFilter): FilterAttribution | null {
    if (!/^\d+$/.test(p.filterId)) return null;
    const i = this.#intern;
    const providerKey = i(normalizeProviderKey(p.providerKey));
    const providerName = this.#providerNames.get(providerKey) ?? '';
    const name = i(p.name);
    return {
      filterId: Number(p.filterId),
      name,
      description: i(p.description),
      providerKey,
      providerName,
      layerKey: i(normalizeLayerKey(p.layerKey)),
      action: i(normalizeAction(p.action)),
      weight: i(p.effectiveWeight),
      ruleName: firewallRuleName(providerKey, name, p.effectiveWeight),
      rulesetName: ruleset(i, providerKey, providerName),
      learnedFrom: 'snapshot',
      subLayerKey: i(p.subLayerKey),
      bootTime: p.flags.includes('FWPM_FILTER_FLAG_BOOTTIME'),
      conditionCount: p.conditionCount,
      filterKey: detached(p.filterKey.toLowerCase()),
    };
  }
}

function ruleset(intern: Interner, providerKey: string, providerName: string): string | null {
  const r = rulesetName(providerKey, providerName);
  return r === null ? null : intern(r);
}

/** Parse snapshot text (already decoded); a leading BOM is ignored. */
export function parseFilterSnapshot(text: string, source: string, intern: Interner = createInterner()): Result<FilterSnapshot, SnapshotError> {
  const reader = new SnapshotReader(source, intern);
  reader.write(text.replace(/^\uFEFF/, ''));
  return reader.finish();
}

const CHUNK = 64 * 1024;

/** Read a snapshot file in 64 KiB chunks (bounded memory). Errors are one line naming the file. */
export function readFilterSnapshotFile(path: string, intern: Interner = createInterner()): Result<FilterSnapshot, SnapshotError> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return err('unreadable', `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const reader = new SnapshotReader(path, intern);
  const decoder = new TextDecoder('utf-8');
  const buffer = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      if (!reader.write(decoder.decode(buffer.subarray(0, n), { stream: true }))) break;
    }
    reader.write(decoder.decode());
  } catch (error) {
    return err('unreadable', `${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    closeSync(fd);
  }
  return reader.finish();
}
