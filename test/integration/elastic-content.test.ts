// deploy/elastic/: the Kibana saved objects, the detection rules and the component template, checked against
// what the agent really emits with telemetry.ecs on (the bundled real events) and against the ECS definitions
// in @elastic/ecs. No Elasticsearch or Kibana runs here, and no maintained KQL or EQL parser is published on
// npm (Kibana's KQL grammar lives in its unpublished @kbn/es-query, EQL's in Elasticsearch's Java sources):
// the queries are checked by the fields and values they name, with quotes and brackets balanced, not parsed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { EcsFlat } from '@elastic/ecs';
import type { AttributeValue } from '../../agent/telemetry/index.ts';
import { ecsFixtureRecords } from '../helpers/ecs-fixture-records.ts';

const DIR = fileURLToPath(new URL('../../deploy/elastic/', import.meta.url));
const ECS = EcsFlat as unknown as Readonly<Record<string, { readonly type: string }>>;

type Json = Record<string, unknown>;
interface SavedObject {
  readonly id: string;
  readonly type: string;
  readonly attributes: Json;
  readonly references: readonly { readonly id: string; readonly type: string; readonly name: string }[];
}

function ndjson(file: string): Json[] {
  const text = readFileSync(DIR + file, 'utf8');
  assert.ok(text.endsWith('\n'), `${file} ends with a newline`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      assert.notEqual(line.trim(), '', `${file}: line ${i + 1} is empty`);
      const value: unknown = JSON.parse(line);
      assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${file}: line ${i + 1} is an object`);
      return value as Json;
    });
}

const records = ecsFixtureRecords();
const blocks = records.filter((r) => r.attributes['event.outcome'] === 'failure' && r.attributes['event.category']?.toString() === 'network');
/** What a document in logs-windows.wfp.otel-* has: the attributes, plus @timestamp and message (the body). */
const EMITTED = new Set<string>(['@timestamp', 'message', ...records.flatMap((r) => Object.keys(r.attributes))]);

function valuesOf(field: string): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    const v: AttributeValue | undefined = r.attributes[field];
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.add(String(one));
  }
  return out;
}

/** Fields and quoted values a KQL or EQL query names; asserts the quotes and brackets balance. */
function queryTerms(query: string): { fields: Set<string>; comparisons: { field: string; values: string[] }[] } {
  assert.equal((query.match(/"/g) ?? []).length % 2, 0, `unbalanced quotes: ${query}`);
  let depth = 0;
  for (const ch of query.replace(/"[^"]*"/g, '""')) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    assert.ok(depth >= 0, `unbalanced brackets: ${query}`);
  }
  assert.equal(depth, 0, `unbalanced brackets: ${query}`);
  const fields = new Set<string>();
  const comparisons: { field: string; values: string[] }[] = [];
  // field: "v" | field: ("a" or "b") | field == "v" | field in ("a", "b") | field : ("a", "b")
  const re = /([A-Za-z_@][\w.@]*)\s*(?::|==|\bin\b)\s*(\([^)]*\)|"[^"]*")/g;
  for (const m of query.matchAll(re)) {
    fields.add(m[1]!);
    comparisons.push({ field: m[1]!, values: [...m[2]!.matchAll(/"([^"]*)"/g)].map((v) => v[1]!) });
  }
  // EQL's `sequence by a, b` keys.
  const by = /\bby\s+([\w.]+(?:\s*,\s*[\w.]+)*)/.exec(query);
  if (by !== null) for (const f of by[1]!.split(',')) fields.add(f.trim());
  return { fields, comparisons };
}

describe('deploy/elastic', () => {
  it('the fixture records give the fields the content relies on', () => {
    assert.ok(blocks.length > 20);
    for (const f of ['source.ip', 'destination.ip', 'process.name', 'rule.name', 'wfp.block.kind', 'network.direction']) assert.ok(EMITTED.has(f), f);
  });

  describe('kibana-saved-objects.ndjson', () => {
    const objects = ndjson('kibana-saved-objects.ndjson') as unknown as SavedObject[];
    const byId = new Map(objects.map((o) => [`${o.type}:${o.id}`, o]));

    it('is well-formed: unique ids, every reference resolves, one data view on the agent’s data stream', () => {
      assert.equal(byId.size, objects.length, 'duplicate ids');
      for (const o of objects) {
        assert.ok(typeof o.id === 'string' && typeof o.type === 'string' && typeof o.attributes === 'object' && Array.isArray(o.references), o.id);
        for (const ref of o.references) assert.ok(byId.has(`${ref.type}:${ref.id}`), `${o.id} refers to missing ${ref.type}:${ref.id}`);
      }
      const views = objects.filter((o) => o.type === 'index-pattern');
      assert.equal(views.length, 1);
      assert.equal(views[0]!.attributes.title, 'logs-windows.wfp.otel-*');
      assert.equal(views[0]!.attributes.timeFieldName, '@timestamp');
    });

    it('has a dashboard with the panels the issue lists, each one resolving to an object in the file', () => {
      const dashboards = objects.filter((o) => o.type === 'dashboard');
      assert.equal(dashboards.length, 1);
      const d = dashboards[0]!;
      const panels = JSON.parse(d.attributes.panelsJSON as string) as { panelIndex: string; panelRefName: string; type: string; gridData: { x: number; w: number } }[];
      const titles: string[] = [];
      for (const p of panels) {
        assert.ok(p.gridData.x + p.gridData.w <= 48, `panel ${p.panelIndex} fits the 48-column grid`);
        const ref = d.references.find((r) => r.name === `${p.panelIndex}:${p.panelRefName}`);
        assert.ok(ref !== undefined, `panel ${p.panelIndex} has its reference`);
        assert.equal(ref.type, p.type);
        titles.push(byId.get(`${ref.type}:${ref.id}`)!.attributes.title as string);
      }
      for (const want of [/over time by direction/, /over time by WFP layer/, /applications/, /rules/, /peers, inbound/, /peers, outbound/, /Block kinds/, /Latest blocks/]) {
        assert.ok(titles.some((t) => want.test(t)), `${want} among ${titles.join(' | ')}`);
      }
    });

    it('uses only fields the agent emits, in Lens columns, saved-search columns and KQL queries, and each KQL value occurs in real records', () => {
      for (const o of objects) {
        const queries: string[] = [];
        if (o.type === 'lens') {
          const state = o.attributes.state as { datasourceStates: { formBased: { layers: Record<string, { columns: Record<string, { sourceField: string }>; columnOrder: string[] }> } }; query: { query: string; language: string }; visualization: unknown };
          for (const [layerId, layer] of Object.entries(state.datasourceStates.formBased.layers)) {
            assert.ok(o.references.some((r) => r.name === `indexpattern-datasource-layer-${layerId}`), `${o.id}: layer ${layerId} has its data view`);
            assert.deepEqual(new Set(layer.columnOrder), new Set(Object.keys(layer.columns)), `${o.id}: columnOrder`);
            for (const c of Object.values(layer.columns)) if (c.sourceField !== '___records___') assert.ok(EMITTED.has(c.sourceField), `${o.id}: ${c.sourceField} is not emitted`);
            // Every column id the visualization names exists.
            for (const id of JSON.stringify(state.visualization).match(/"c-[\w-]+"/g) ?? []) assert.ok(JSON.parse(id) in layer.columns, `${o.id}: ${id}`);
          }
          assert.equal(state.query.language, 'kuery');
          queries.push(state.query.query);
        }
        if (o.type === 'search') {
          for (const c of o.attributes.columns as string[]) assert.ok(EMITTED.has(c), `${o.id}: column ${c}`);
          const source = JSON.parse((o.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON) as { query: { query: string } };
          queries.push(source.query.query);
        }
        for (const q of queries) checkQuery(o.id, q);
      }
    });
  });

  describe('detection-rules.ndjson', () => {
    const rules = ndjson('detection-rules.ndjson');

    it('are rules in Elastic’s import format on the agent’s data stream', () => {
      assert.deepEqual(rules.map((r) => r.type).sort(), ['eql', 'threshold']);
      for (const r of rules) {
        for (const key of ['rule_id', 'name', 'description', 'type', 'language', 'query', 'index', 'risk_score', 'severity', 'interval', 'from']) assert.ok(key in r, `${String(r.name)}: ${key}`);
        assert.deepEqual(r.index, ['logs-windows.wfp.otel-*']);
        assert.match(r.rule_id as string, /^[0-9a-f-]{36}$/);
        for (const f of r.required_fields as { name: string; type: string; ecs: boolean }[]) {
          assert.ok(EMITTED.has(f.name), `${String(r.name)}: required ${f.name}`);
          assert.equal(ECS[f.name]?.type, f.type, `${f.name}: ECS type`);
        }
      }
    });

    it('query only fields the agent emits, with values real records have', () => {
      for (const r of rules) {
        checkQuery(r.name as string, r.query as string);
        const threshold = r.threshold as { field: string[] } | undefined;
        for (const f of threshold?.field ?? []) assert.ok(EMITTED.has(f), `threshold field ${f}`);
      }
    });

    it('EDR silencing: joins the 5447 filter add and the block by host and filter id (rule.id on both)', () => {
      const eql = rules.find((r) => r.type === 'eql')!.query as string;
      assert.match(eql, /^sequence by host\.name, rule\.id with maxspan=\d+m\n/);
      const add = records.find((r) => r.attributes['event.action'] === 'wfp-filter-added')!;
      assert.equal(add.attributes['rule.id'], String(add.attributes['wfp.filter.id']));
      for (const b of blocks) if (b.attributes['wfp.filter.id'] !== undefined && b.attributes['wfp.filter.id'] !== 0) assert.equal(b.attributes['rule.id'], String(b.attributes['wfp.filter.id']));
      assert.match(eql, /"MsMpEng\.exe"/);
    });
  });

  it('logs-otel@custom.json maps the agent’s IP fields as ip and its ports and ids as numbers, under the OTel attributes passthrough', () => {
    const doc = JSON.parse(readFileSync(`${DIR}logs-otel@custom.json`, 'utf8')) as { template: { mappings: { properties: { attributes: { type: string; priority: number; properties: Record<string, { type: string }> } } } } };
    const attrs = doc.template.mappings.properties.attributes;
    // As in Elasticsearch's otel@mappings (x-pack/plugin/otel-data): a different priority would clash with it.
    assert.equal(attrs.type, 'passthrough');
    assert.equal(attrs.priority, 20);
    for (const [field, mapping] of Object.entries(attrs.properties)) {
      assert.ok(EMITTED.has(field), `${field} is not emitted`);
      const ecsType = ECS[field]?.type;
      if (ecsType !== undefined) assert.equal(mapping.type, ecsType, `${field}: ECS says ${ecsType}`);
      for (const v of valuesOf(field)) {
        if (mapping.type === 'ip') assert.notEqual(isIP(v), 0, `${field}: ${v} is not an IP`);
        if (mapping.type === 'long') assert.match(v, /^-?\d+$/, `${field}: ${v} is not an integer`);
      }
    }
    for (const f of ['source.ip', 'destination.ip', 'network.local.address', 'network.peer.address']) assert.equal(attrs.properties[f]?.type, 'ip', f);
    for (const f of ['source.port', 'destination.port', 'network.local.port', 'network.peer.port']) assert.equal(attrs.properties[f]?.type, 'long', f);
  });
});

function checkQuery(where: string, query: string): void {
  const { fields, comparisons } = queryTerms(query);
  assert.ok(fields.size > 0, `${where}: no field found in ${query}`);
  for (const f of fields) assert.ok(EMITTED.has(f), `${where}: ${f} is not emitted`);
  for (const { field, values } of comparisons) {
    // The security agents' names are what the rule looks for, not what the fixtures contain.
    if (field === 'process.name') continue;
    const seen = valuesOf(field);
    for (const v of values) assert.ok(seen.has(v), `${where}: ${field} is never "${v}" in the real records`);
  }
}
