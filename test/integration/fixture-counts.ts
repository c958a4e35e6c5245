// Counts computed straight from the fixture files, independently of the agent's decoder and interpreter: a
// regex over the event XML and JSON.parse over the JSON lines, with the layer-code table from
// WFP-REFERENCE.md. The export tests compare what the backends return with these.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = new URL('../fixtures/', import.meta.url).pathname;

export function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['ms-docs', 'otrf']) {
    for (const name of readdirSync(join(FIXTURE_DIR, dir)).sort()) {
      if (name.endsWith('.xml') || name.endsWith('.jsonl')) files.push(join(FIXTURE_DIR, dir, name));
    }
  }
  return files;
}

const LAYERS: Record<string, string> = {
  '%%14597': 'Transport',
  '%%14601': 'ICMP Error',
  '%%14608': 'Resource Assignment',
  '%%14609': 'Listen',
  '%%14610': 'Receive/Accept',
  '%%14611': 'Connect',
};

/** Prometheus metric name (after OTel translation) per event id, for the counters the README lists. */
export const PROM_METRIC: Record<number, string> = {
  5157: 'wfp_connection_blocks_total',
  5152: 'wfp_packet_drops_total',
  5153: 'wfp_packet_drops_total',
  5150: 'wfp_packet_blocks_total',
  5151: 'wfp_packet_blocks_total',
  5155: 'wfp_listen_blocks_total',
  5159: 'wfp_bind_blocks_total',
  5031: 'wfp_app_blocks_total',
  5447: 'wfp_filter_changes_total',
  4719: 'wfp_audit_policy_changes_total',
  1102: 'wfp_log_clears_total',
};

export interface FixtureEvent {
  readonly id: number;
  readonly fields: Record<string, string>;
}

function xmlEvents(text: string): FixtureEvent[] {
  const out: FixtureEvent[] = [];
  for (const block of text.split(/<\/Event>/).slice(0, -1)) {
    const id = /<EventID[^>]*>(\d+)<\/EventID>/.exec(block);
    if (id === null) continue;
    const fields: Record<string, string> = {};
    for (const m of block.matchAll(/<Data Name=["']([^"']+)["']>([^<]*)<\/Data>/g)) fields[m[1]!] = m[2]!;
    out.push({ id: Number(id[1]), fields });
  }
  return out;
}

function jsonEvents(text: string): FixtureEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(o)) if (typeof v === 'string' || typeof v === 'number') fields[k] = String(v);
      return { id: Number(o['EventID']), fields };
    });
}

export function fixtureEvents(files: readonly string[] = fixtureFiles()): FixtureEvent[] {
  return files.flatMap((f) => (f.endsWith('.xml') ? xmlEvents(readFileSync(f, 'utf8')) : jsonEvents(readFileSync(f, 'utf8'))));
}

function appName(path: string | undefined): string {
  if (path === undefined || path === '' || path === '-') return '';
  const parts = path.split(/\\+/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? '';
}

export type Counts = Map<string, number>;

function add(map: Counts, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Per metric: counts by layer name, by executable name ('' = no application), and in total. */
export interface ExpectedCounts {
  readonly total: Counts;
  readonly byLayer: Counts;
  readonly byApp: Counts;
}

/** Keys are `metric|value`. Layer: network events by code, 5447 by its LayerName text. */
export function expectedCounts(events: readonly FixtureEvent[] = fixtureEvents()): ExpectedCounts {
  const total: Counts = new Map();
  const byLayer: Counts = new Map();
  const byApp: Counts = new Map();
  for (const e of events) {
    const metric = PROM_METRIC[e.id];
    if (metric === undefined) continue;
    add(total, metric);
    if (e.id >= 5150 && e.id <= 5159) {
      add(byLayer, `${metric}|${LAYERS[e.fields['LayerName'] ?? ''] ?? e.fields['LayerName']}`);
      add(byApp, `${metric}|${appName(e.fields['Application'])}`);
    } else if (e.id === 5031) {
      add(byApp, `${metric}|${appName(e.fields['Application'])}`);
    } else if (e.id === 5447) {
      add(byLayer, `${metric}|${(e.fields['LayerName'] ?? '').trim()}`);
    }
  }
  return { total, byLayer, byApp };
}
