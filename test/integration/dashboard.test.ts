// deploy/dashboards/wfp-block-agent.grafana.json. No Grafana runs here, so this checks what can be checked
// without one: the dashboard's shape (what Grafana's import reads: ids, grid, variables, data source, the
// names its transformations and legends refer to), and every query against a real Prometheus scraping two real
// agents: valid PromQL, data from the agents' metrics, grouped by labels the agents export, and counts equal to
// the events fed, including a series' first value (which increase() alone misses).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import type { OtelTelemetrySink } from '../../agent/export/index.ts';
import { createFilePipeline, loadItems } from '../../agent/cli/file-input.ts';
import type { EventPipeline } from '../../agent/pipeline/index.ts';
import type { SourceItem } from '../../agent/source/index.ts';
import { replayIntoSink } from '../../agent/cli/commands/replay-command.ts';
import { FIXTURE_DIR, expectedCounts, fixtureFiles } from './fixture-counts.ts';
import { PROMETHEUS, SETUP_HINT, queryUntil, startPrometheus } from './metrics-backends.ts';
import type { Backend, PromSample } from './metrics-backends.ts';
import { protoUnavailable, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { needs } from '../helpers/test-dependency.ts';

const DASHBOARD = new URL('../../deploy/dashboards/wfp-block-agent.grafana.json', import.meta.url);

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly datasource?: { readonly uid: string };
}
interface Transformation {
  readonly id: string;
  readonly options: { readonly renameByName?: Record<string, string>; readonly excludeByName?: Record<string, boolean> };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly collapsed?: boolean;
  readonly panels?: readonly Panel[];
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
  readonly transformations?: readonly Transformation[];
  readonly options?: { readonly sortBy?: readonly { readonly displayName: string }[] };
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: unknown;
  readonly allValue?: string;
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly templating: { readonly list: readonly Variable[] };
  readonly panels: readonly Panel[];
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const queried = dashboard.panels.filter((p) => p.type !== 'row');
const panel = (title: string): Panel => {
  const found = queried.find((p) => p.title === title);
  assert.ok(found !== undefined, `no panel '${title}'`);
  return found;
};

/** Grafana's variables as the "All" choice and a range would expand them. */
const expand = (expr: string, range = '10m', job = '.*'): string =>
  expr.replaceAll('$job', job).replaceAll('$instance', '.*').replaceAll('$__range', range).replaceAll('$__rate_interval', '1m');

/** The labels a query groups by (`by (a, b)`). */
const groupLabels = (expr: string): string[] => [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));

// The panels the fixture events feed; the health panels' series exist only on a live agent (source lag,
// possible loss), after a full queue, or with audit drift, and may be empty here.
const EVENT_PANELS = new Set([
  'Blocked connections', 'Dropped packets', 'Blocked listens and binds', 'Apps blocked by the firewall service',
  'Blocked applications', 'Blocking rules', 'Blocks by kind', 'Blocks by protocol', 'Blocks by machine',
  'Blocked connections by layer', 'Dropped packets by direction', 'Filter, audit-policy and log changes',
]);

/** Two 5157s whose filters the synthetic snapshot knows: 85081 "Block Telnet" (a rule), 78700 the stealth filter. */
const RULED_BLOCKS: SourceItem[] = [85081, 78700].map((filterId, i) => ({
  text: JSON.stringify({
    EventID: 5157, Hostname: 'WS1', SourceName: 'Microsoft-Windows-Security-Auditing', TimeCreated: '2023-08-15T05:33:55.325Z',
    Direction: '%%14592', SourceAddress: '10.0.0.9', SourcePort: '50000', DestAddress: '10.0.0.5', DestPort: '23', Protocol: '6',
    FilterRTID: String(filterId), LayerName: '%%14610', LayerRTID: '44', Application: '\\device\\harddiskvolume2\\windows\\system32\\tlntsvr.exe',
  }),
  format: 'json',
  recordId: null,
  file: 'ruled-blocks',
  position: i + 1,
}));

describe('Grafana dashboard', () => {
  it('has the shape Grafana imports: unique ids, a 24-column grid without overlaps, the three variables', () => {
    assert.equal(dashboard.uid, 'wfp-block-agent');
    assert.ok(dashboard.schemaVersion >= 36, `schemaVersion ${dashboard.schemaVersion}`);
    const ids = dashboard.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, 'panel ids repeat');
    // Panels inside a collapsed row would be hidden from the checks below.
    for (const p of dashboard.panels.filter((r) => r.type === 'row')) assert.ok(p.collapsed !== true && (p.panels ?? []).length === 0, p.title);
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    assert.equal(vars.get('datasource')?.type, 'datasource');
    assert.equal(vars.get('datasource')?.query, 'prometheus');
    for (const name of ['job', 'instance']) {
      assert.equal(vars.get(name)?.type, 'query', name);
      assert.equal(vars.get(name)?.allValue, '.*', `${name}: "All" must match series without the label too`);
    }
    const cells = new Map<string, string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      assert.ok(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${p.title}: ${JSON.stringify(p.gridPos)}`);
      for (let cx = x; cx < x + w; cx++)
        for (let cy = y; cy < y + h; cy++) {
          const owner = cells.get(`${cx},${cy}`);
          assert.equal(owner, undefined, `${p.title} overlaps ${owner}`);
          cells.set(`${cx},${cy}`, p.title);
        }
    }
    for (const title of EVENT_PANELS) panel(title);
  });

  it('refers only to what its queries return: data source, variables, legend labels, renamed columns', () => {
    for (const p of queried) {
      assert.equal(p.datasource?.uid, '${datasource}', p.title);
      assert.ok((p.description ?? '').length > 20, `${p.title}: say what it shows`);
      const targets = p.targets ?? [];
      assert.ok(targets.length > 0, `${p.title}: no query`);
      assert.equal(new Set(targets.map((t) => t.refId)).size, targets.length, `${p.title}: refIds repeat`);
      for (const t of targets) {
        assert.equal(t.datasource?.uid, '${datasource}', `${p.title} ${t.refId}`);
        assert.match(t.expr, /job=~"\$job", instance=~"\$instance"/, `${p.title} ${t.refId}: filter by the variables`);
        for (const [, label] of (t.legendFormat ?? '').matchAll(/\{\{(\w+)\}\}/g))
          assert.ok(groupLabels(t.expr).includes(label!), `${p.title} ${t.refId}: legend {{${label}}} is not a label the query keeps`);
      }
      const columns = new Set([...targets.flatMap((t) => groupLabels(t.expr)), 'Time', 'Value', ...targets.map((t) => `Value #${t.refId}`)]);
      for (const tr of p.transformations ?? [])
        for (const name of [...Object.keys(tr.options.renameByName ?? {}), ...Object.keys(tr.options.excludeByName ?? {})])
          assert.ok(columns.has(name), `${p.title}: ${tr.id} names '${name}', which no query returns`);
      const renamed = new Set(Object.values(p.transformations?.find((tr) => tr.id === 'organize')?.options.renameByName ?? {}));
      for (const s of p.options?.sortBy ?? []) assert.ok(renamed.has(s.displayName) || columns.has(s.displayName), `${p.title}: sorts by unknown '${s.displayName}'`);
    }
  });

  const skip = needs('Prometheus and the OTLP .proto files', PROMETHEUS === null ? `prometheus not found: ${SETUP_HINT}` : protoUnavailable());
  describe('its queries against Prometheus scraping two agents', { skip }, () => {
    let healthy: OtelTelemetrySink;
    let failing: OtelTelemetrySink;
    let refusing: OtlpReceiver;
    let prom: Backend;
    /** Between the two feeds: after the first was scraped, before the second. */
    let between = 0;
    const counts = expectedCounts().total;
    const fixtureTotal = [...counts.values()].reduce((a, b) => a + b, 0);
    const fed5157 = counts.get('wfp_connection_blocks_total') ?? 0;
    const sumOf = (s: readonly PromSample[]) => s.reduce((n, x) => n + x.value, 0);

    before(async () => {
      // A backend that refuses logs (HTTP 400), so the second agent's export-failure series exists.
      refusing = await startOtlpReceiver({ answer: () => ({ status: 400, body: 'refused by the test' }) });
      const served = async (otlp: string): Promise<{ sink: OtelTelemetrySink; pipeline: EventPipeline; items: SourceItem[] }> => {
        const config = parseConfig(`exporters:\n  otlp: ${otlp}\n  prometheus: {enabled: true, host: 127.0.0.1, port: 0}\n`, { file: 'd.yaml', env: () => undefined });
        const created = await createOtelTelemetrySink({ config, env: () => undefined });
        assert.ok(created.ok, created.ok ? '' : created.problems.join('\n'));
        // The synthetic filter snapshot names the rules of the two extra blocks.
        const enricher = loadEnricher({ config, filtersFile: `${FIXTURE_DIR}netsh-wfp/synthetic-filters.xml` });
        assert.ok(enricher.ok);
        const pipeline = createFilePipeline(config, enricher.value);
        const { items } = loadItems(fixtureFiles(), pipeline, (line) => assert.fail(line));
        return { sink: created.value, pipeline, items };
      };
      const a = await served('{enabled: false}');
      const b = await served(`{endpoint: "${refusing.url}", metrics: false}`);
      healthy = a.sink;
      failing = b.sink;
      prom = await startPrometheus({
        'wfp-agent': new URL(healthy.prometheusUrl ?? '').host,
        'wfp-agent-failing': new URL(failing.prometheusUrl ?? '').host,
      });
      const total = (job: string) => `sum({__name__=~"wfp_.+_total", __name__!~"wfp_agent_.+", job="${job}"})`;
      await replayIntoSink(a.items, a.pipeline, healthy, 1000);
      // One chunk: replay stops at the first failed flush, and this agent's every flush fails.
      await replayIntoSink(b.items, b.pipeline, failing, b.items.length);
      assert.equal(sumOf(await queryUntil(prom, total('wfp-agent'), (s) => sumOf(s) === fixtureTotal, 30_000)), fixtureTotal);
      await new Promise((r) => setTimeout(r, 1500));
      between = Date.now() / 1000;
      await new Promise((r) => setTimeout(r, 1500));
      // The second feed adds the two ruled blocks: their series are new then, with a first value of 1.
      await replayIntoSink([...a.items, ...RULED_BLOCKS], a.pipeline, healthy, 1000);
      const grand = 2 * fixtureTotal + RULED_BLOCKS.length;
      assert.equal(sumOf(await queryUntil(prom, total('wfp-agent'), (s) => sumOf(s) === grand, 30_000)), grand);
      await new Promise((r) => setTimeout(r, 2500)); // a few more scrapes at the new values
    });
    after(async () => {
      await prom?.stop();
      await healthy?.shutdown();
      await failing?.shutdown();
      await refusing?.close();
    });

    it('fills the job and machine variables from the agents', async () => {
      for (const [name, expected] of [['job', ['wfp-agent', 'wfp-agent-failing']], ['instance', [new URL(healthy.prometheusUrl ?? '').host]]] as const) {
        const v = dashboard.templating.list.find((x) => x.name === name)!;
        const m = /^label_values\((.*), (\w+)\)$/.exec((v.query as { query: string }).query);
        assert.ok(m !== null, `${name}: ${JSON.stringify(v.query)}`);
        const res = await fetch(`${prom.url}/api/v1/label/${m[2]}/values?match[]=${encodeURIComponent(expand(m[1]!))}`);
        const values = ((await res.json()) as { data: string[] }).data;
        for (const e of expected) assert.ok(values.includes(e), `${name}: ${values.join(', ')}`);
      }
    });

    for (const p of queried) {
      it(`'${p.title}': valid PromQL, ${EVENT_PANELS.has(p.title) ? 'data carrying every label it groups by' : 'may be empty here'}`, async () => {
        // Each query must be valid (Prometheus's error is thrown otherwise); a panel of several kinds may have
        // kinds the fixtures lack, so the panel as a whole must show data and carry every label it groups by.
        const all: PromSample[] = [];
        for (const t of p.targets ?? []) all.push(...(await prom.query(expand(t.expr))));
        if (!EVENT_PANELS.has(p.title)) return;
        assert.ok(all.some((s) => s.value > 0), `${p.title}: no series above zero`);
        for (const label of new Set((p.targets ?? []).flatMap((t) => groupLabels(t.expr))))
          assert.ok(all.some((s) => s.labels[label] !== undefined && s.labels[label] !== ''), `${p.title}: no series carries '${label}'`);
      });
    }

    it('counts exactly the events fed when every series began in the range, per job', async () => {
      const stat = panel('Blocked connections').targets![0]!.expr;
      const [both] = await prom.query(expand(stat));
      assert.equal(both?.value, 3 * fed5157 + RULED_BLOCKS.length, 'two feeds to one agent, one to the other, plus the ruled blocks');
      const [failingOnly] = await prom.query(expand(stat, '10m', 'wfp-agent-failing'));
      assert.equal(failingOnly?.value, fed5157);
      const changes = await prom.query(expand(panel('Filter, audit-policy and log changes').targets!.find((t) => t.refId === 'C')!.expr, '10m', 'wfp-agent'));
      assert.equal(changes[0]?.value, 2 * (counts.get('wfp_log_clears_total') ?? 0), 'log clears');
    });

    it('counts a series that began inside the range from its first value, and the rest by their increase', async () => {
      const range = `${Math.floor(Date.now() / 1000 - between)}s`;
      const rules = panel('Blocking rules').targets!.find((t) => t.refId === 'A')!.expr;
      const byRule = new Map((await prom.query(expand(rules, range, 'wfp-agent'))).map((s) => [s.labels['security_rule_name'] ?? '', s.value]));
      // New since `between`, first value 1: increase() alone would give 0 for each.
      assert.equal(byRule.get('Block Telnet'), 1);
      assert.equal(byRule.get('Port Scanning Prevention Filter'), 1);
      // The fixture series existed before: their increase over the range is the second feed (extrapolation adds).
      const [stat] = await prom.query(expand(panel('Blocked connections').targets![0]!.expr, range, 'wfp-agent'));
      assert.ok((stat?.value ?? 0) >= fed5157 + RULED_BLOCKS.length, `${stat?.value}`);
      assert.ok((stat?.value ?? 0) < 2 * fed5157 + RULED_BLOCKS.length, `${stat?.value}: the first feed is outside the range`);
      // Before the second feed the ruled series did not exist.
      const before = await prom.query(expand(rules, '10m', 'wfp-agent'), between);
      assert.equal(before.filter((s) => s.labels['security_rule_name'] === 'Block Telnet').length, 0);
    });

    it('the export-failure panel shows the refused agent by signal and error type', async () => {
      const expr = expand(panel('Export failures').targets![0]!.expr);
      const failures = await queryUntil(prom, expr, (s) => s.length > 0, 20_000);
      assert.deepEqual(failures.map((s) => [s.labels['signal'], s.labels['error_type'], s.value > 0]), [['logs', 'http_4xx', true]]);
      // The queue-full panel reads a series the agents export (empty here only for lack of drops).
      const processed = await prom.query('count(otel_sdk_processor_log_processed_total)');
      assert.ok((processed[0]?.value ?? 0) > 0, 'otel_sdk_processor_log_processed_total is not exported');
    });
  });
});
