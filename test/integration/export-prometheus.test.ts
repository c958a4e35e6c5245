// The agent's Prometheus pull endpoint, scraped by a real Prometheus (Debian package) started here on
// loopback: the same per-layer and per-app counts as the fixture files, taken independently.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import type { OtelTelemetrySink } from '../../agent/export/index.ts';
import { createFilePipeline, loadItems } from '../../agent/cli/file-input.ts';
import { replayIntoSink } from '../../agent/cli/commands/replay-command.ts';
import { expectedCounts, fixtureFiles } from './fixture-counts.ts';
import { spawnSync } from 'node:child_process';
import { PROMETHEUS, PROMTOOL, SETUP_HINT, countsBy, queryUntil, sortedEntries, startPrometheus } from './metrics-backends.ts';
import type { Backend } from './metrics-backends.ts';
import { needs } from '../helpers/test-dependency.ts';

const APP_METRICS = new Set(['wfp_connection_blocks_total', 'wfp_packet_drops_total', 'wfp_listen_blocks_total', 'wfp_bind_blocks_total', 'wfp_app_blocks_total']);

/** A sink with a pull endpoint on a free port, fed the fixture events through the replay pipeline. */
async function servedSink(extraYaml: string): Promise<OtelTelemetrySink> {
  const config = parseConfig(`exporters:\n  otlp: {enabled: false}\n  prometheus: {enabled: true, host: 127.0.0.1, port: 0}\n${extraYaml}`, {
    file: 'test.yaml',
    env: () => undefined,
  });
  const created = await createOtelTelemetrySink({ config, env: () => undefined });
  assert.ok(created.ok, created.ok ? '' : created.problems.join('\n'));
  const enricher = loadEnricher({ config });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  const { items } = loadItems(fixtureFiles(), pipeline, (line) => assert.fail(line));
  const result = await replayIntoSink(items, pipeline, created.value, 1000);
  assert.equal(result.flushError, null);
  return created.value;
}

describe('Prometheus scrapes the pull endpoint', { skip: needs('Prometheus', PROMETHEUS === null ? `prometheus not found: ${SETUP_HINT}` : null) }, () => {
  let sink: OtelTelemetrySink;
  let limited: OtelTelemetrySink;
  let prom: Backend;
  before(async () => {
    sink = await servedSink('');
    // A second agent whose per-app limit (1) the fixtures exceed, to check the overflow alert expression.
    limited = await servedSink('metrics: {app_cardinality_limit: 1}\n');
    prom = await startPrometheus({
      'wfp-agent': new URL(sink.prometheusUrl ?? '').host,
      'wfp-agent-limited': new URL(limited.prometheusUrl ?? '').host,
    });
  });
  after(async () => {
    await prom?.stop();
    await sink?.shutdown();
    await limited?.shutdown();
  });

  it('serves the text format with the documented names and units', async () => {
    const text = await (await fetch(sink.prometheusUrl ?? '')).text();
    assert.match(text, /^# TYPE wfp_connection_blocks_total counter$/m);
    assert.match(text, /^# UNIT wfp_connection_blocks_total \{connection\}$/m);
    // Prometheus's own linter accepts the exposition (names, types, HELP).
    if (PROMTOOL !== null) {
      const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(lint.status, 0, `${lint.stdout}${lint.stderr}`);
    }
    assert.match(text, /^wfp_packet_drops_total\{wfp_direction="outbound",wfp_layer_name="ICMP Error",wfp_protocol_name="icmp",.*\} 5$/m);
  });

  it('returns per layer and per app exactly the counts of the replayed fixture events', async () => {
    const expected = expectedCounts();
    const selector = '{__name__=~"wfp_.+_total", __name__!~"wfp_agent_.+", job="wfp-agent"}';
    const grand = [...expected.total.values()].reduce((a, b) => a + b, 0);
    const byTotal = await queryUntil(prom, `sum by (__name__) (${selector})`, (s) => s.reduce((n, x) => n + x.value, 0) === grand, 30_000);
    assert.deepEqual(sortedEntries(countsBy(byTotal, '__name__')).map(([k, v]) => [k.split('|')[0], v]), sortedEntries(expected.total));
    const byLayer = await prom.query(`sum by (__name__, wfp_layer_name) (${selector})`);
    assert.deepEqual(sortedEntries(countsBy(byLayer, 'wfp_layer_name')), sortedEntries(expected.byLayer));
    const byApp = await prom.query(`sum by (__name__, process_executable_name) (${selector})`);
    assert.deepEqual(sortedEntries(countsBy(byApp, 'process_executable_name', APP_METRICS)), sortedEntries(expected.byApp));
    const up = await prom.query('up{job="wfp-agent"}');
    assert.equal(up[0]?.value, 1);
  });

  it('makes the overflow alertable: the README alert expression fires for the limited agent only, totals intact', async () => {
    const alert = 'sum by (__name__, job) ({__name__=~"wfp_.+_total", otel_metric_overflow="true"}) > 0';
    const fired = await queryUntil(prom, alert, (s) => s.length > 0, 30_000);
    assert.ok(fired.every((s) => s.labels['job'] === 'wfp-agent-limited'), JSON.stringify(fired));
    // With one name per counter: 5157 listener.exe kept, services.exe ×5 + System ×1 overflow; 5031 listener.exe
    // kept, excel.exe ×4 overflow; the packet drops' first app is listener.exe, System ×1 overflows.
    const byMetric = Object.fromEntries(fired.map((s) => [s.labels['__name__'], s.value]));
    assert.deepEqual(byMetric, { wfp_connection_blocks_total: 6, wfp_app_blocks_total: 4, wfp_packet_drops_total: 1 });
    const totals = await prom.query('sum by (__name__) ({__name__=~"wfp_.+_total", __name__!~"wfp_agent_.+", job="wfp-agent-limited"})');
    assert.deepEqual(
      totals.map((s) => [s.labels['__name__'], s.value]).sort(),
      [...expectedCounts().total].sort(),
    );
  });
});
