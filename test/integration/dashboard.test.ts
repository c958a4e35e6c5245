// deploy/dashboards/wfp-block-agent.grafana.json. No Grafana runs here, so this checks what can be checked
// without one: the dashboard's shape (what Grafana's import reads: ids, grid, variables, data source), and that
// every query in it is valid PromQL for a real Prometheus scraping real agents, returns series from the
// agents' metrics, and groups by labels the agents really export. The agents' counters are fed the fixture
// events twice, so increase() and rate() over the scrapes have something to show.
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

const DASHBOARD = new URL('../../deploy/dashboards/wfp-block-agent.grafana.json', import.meta.url);

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: { readonly uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
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

/** Grafana's variables as the "All" choice and a fixed range would expand them. */
const expand = (expr: string): string =>
  expr.replaceAll('$job', '.*').replaceAll('$instance', '.*').replaceAll('$__range', '10m').replaceAll('$__rate_interval', '1m');

/** The labels a query groups by (`by (a, b)`), which each returned series must then carry. */
const groupLabels = (expr: string): string[] => [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()));

// The event counters are fed by the fixtures; the health panels' series exist only on a live agent (source lag,
// possible loss), after a full queue, or with audit drift, and may be empty here.
const EVENT_PANELS = new Set([
  'Blocked connections', 'Dropped packets', 'Blocked listens and binds', 'Apps blocked by the firewall service',
  'Blocked connections by layer', 'Dropped packets by direction', 'Blocked applications', 'Blocking rules',
  'Blocks by kind', 'Blocks by protocol', 'Blocks by machine', 'Filter, audit-policy and log changes',
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
    for (const p of queried) {
      assert.equal(p.datasource?.uid, '${datasource}', p.title);
      assert.ok((p.description ?? '').length > 20, `${p.title}: say what it shows`);
      assert.ok((p.targets ?? []).length > 0, `${p.title}: no query`);
      for (const t of p.targets ?? []) {
        assert.equal(t.datasource?.uid, '${datasource}', `${p.title} ${t.refId}`);
        assert.match(t.expr, /job=~"\$job", instance=~"\$instance"/, `${p.title} ${t.refId}: filter by the variables`);
      }
    }
    for (const title of EVENT_PANELS) assert.ok(queried.some((p) => p.title === title), `no panel '${title}'`);
  });

  const skip = PROMETHEUS === null ? `prometheus not found: ${SETUP_HINT}` : protoUnavailable();
  describe('its queries against Prometheus scraping two agents', { skip: skip ?? false }, () => {
    let healthy: OtelTelemetrySink;
    let failing: OtelTelemetrySink;
    let refusing: OtlpReceiver;
    let prom: Backend;
    let feed: (sink: OtelTelemetrySink) => Promise<void>;
    const grand = [...expectedCounts().total.values()].reduce((a, b) => a + b, 0) + RULED_BLOCKS.length;
    const sumOf = (s: readonly PromSample[]) => s.reduce((n, x) => n + x.value, 0);

    before(async () => {
      // A backend that refuses logs (HTTP 400), so the second agent's export-failure series exists.
      refusing = await startOtlpReceiver({ answer: () => ({ status: 400, body: 'refused by the test' }) });
      const served = async (otlp: string): Promise<{ sink: OtelTelemetrySink; pipeline: EventPipeline; items: SourceItem[] }> => {
        const config = parseConfig(`exporters:\n  otlp: ${otlp}\n  prometheus: {enabled: true, host: 127.0.0.1, port: 0}\n`, { file: 'd.yaml', env: () => undefined });
        const created = await createOtelTelemetrySink({ config, env: () => undefined });
        assert.ok(created.ok, created.ok ? '' : created.problems.join('\n'));
        // The synthetic filter snapshot names the rules of the two extra blocks, so the rule panel has names.
        const enricher = loadEnricher({ config, filtersFile: `${FIXTURE_DIR}netsh-wfp/synthetic-filters.xml` });
        assert.ok(enricher.ok);
        const pipeline = createFilePipeline(config, enricher.value);
        const { items } = loadItems(fixtureFiles(), pipeline, (line) => assert.fail(line));
        return { sink: created.value, pipeline, items: [...items, ...RULED_BLOCKS] };
      };
      const a = await served('{enabled: false}');
      const b = await served(`{endpoint: "${refusing.url}", metrics: false}`);
      healthy = a.sink;
      failing = b.sink;
      feed = async (sink) => {
        const { pipeline, items } = sink === healthy ? a : b;
        await replayIntoSink(items, pipeline, sink, 1000);
      };
      prom = await startPrometheus({
        'wfp-agent': new URL(healthy.prometheusUrl ?? '').host,
        'wfp-agent-failing': new URL(failing.prometheusUrl ?? '').host,
      });
      const total = (job: string) => `sum({__name__=~"wfp_.+_total", __name__!~"wfp_agent_.+", job="${job}"})`;
      await feed(healthy);
      await feed(failing);
      assert.equal(sumOf(await queryUntil(prom, total('wfp-agent'), (s) => sumOf(s) === grand, 30_000)), grand);
      // The second feed after the first was scraped: the counters grow between scrapes.
      await feed(healthy);
      assert.equal(sumOf(await queryUntil(prom, total('wfp-agent'), (s) => sumOf(s) === 2 * grand, 30_000)), 2 * grand);
      await new Promise((r) => setTimeout(r, 2500)); // a few more scrapes at the new value
    });
    after(async () => {
      await prom?.stop();
      await healthy?.shutdown();
      await failing?.shutdown();
      await refusing?.close();
    });

    for (const panel of queried) {
      it(`'${panel.title}': valid PromQL, ${EVENT_PANELS.has(panel.title) ? 'series with its grouping labels' : 'may be empty here'}`, async () => {
        // Each query must be valid (Prometheus's error is thrown otherwise); a panel of several kinds may have
        // kinds the fixtures lack, so the panel as a whole must show data and carry every label it groups by.
        const all: PromSample[] = [];
        for (const t of panel.targets ?? []) all.push(...(await prom.query(expand(t.expr))));
        if (!EVENT_PANELS.has(panel.title)) return;
        assert.ok(all.some((s) => s.value > 0), `${panel.title}: no series above zero`);
        for (const label of new Set((panel.targets ?? []).flatMap((t) => groupLabels(t.expr))))
          assert.ok(all.some((s) => s.labels[label] !== undefined && s.labels[label] !== ''), `${panel.title}: no series carries '${label}'`);
      });
    }

    it('the blocked-connection stat counts at least the fed 5157 events, for each job alone too', async () => {
      const fed = (expectedCounts().total.get('wfp_connection_blocks_total') ?? 0) + RULED_BLOCKS.length;
      assert.ok(fed > 0);
      const stat = queried.find((p) => p.title === 'Blocked connections')!.targets![0]!.expr;
      // increase() over the scrapes sees the second feed (extrapolation only adds), the failing agent none.
      const [one] = await prom.query(stat.replaceAll('$job', 'wfp-agent').replaceAll('$instance', '.*').replaceAll('$__range', '10m'));
      assert.ok((one?.value ?? 0) >= fed, `${one?.value} < ${fed}`);
      const [other] = await prom.query(stat.replaceAll('$job', 'wfp-agent-failing').replaceAll('$instance', '.*').replaceAll('$__range', '10m'));
      assert.equal(other?.value ?? 0, 0);
    });

    it('the export-failure panel shows the refused agent by signal and error type', async () => {
      const expr = expand(queried.find((p) => p.title === 'Export failures')!.targets![0]!.expr.replace('$__rate_interval', '10m'));
      const failures = await queryUntil(prom, expr, (s) => s.length > 0, 20_000);
      assert.deepEqual(
        failures.map((s) => [s.labels['signal'], s.labels['error_type']]),
        [['logs', 'http_4xx']],
      );
    });
  });
});
