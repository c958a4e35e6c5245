// `wfp-agent replay` pushes OTLP protobuf metrics into a real VictoriaMetrics (Debian package) started here on
// loopback; PromQL per layer and per application must equal the counts taken independently from the files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replayCommand } from '../../agent/cli/commands/replay-command.ts';
import { captureIo, tempDir } from './cli-io.ts';
import type { TempDir } from './cli-io.ts';
import { expectedCounts, fixtureFiles } from './fixture-counts.ts';
import type { Counts } from './fixture-counts.ts';
import { SETUP_HINT, VICTORIA_METRICS, countsBy, queryUntil, sortedEntries, startVictoriaMetrics } from './metrics-backends.ts';
import type { Backend } from './metrics-backends.ts';
import { needs } from '../helpers/test-dependency.ts';

const APP_METRICS = new Set([
  'wfp_connection_blocks_total',
  'wfp_packet_drops_total',
  'wfp_packet_blocks_total',
  'wfp_listen_blocks_total',
  'wfp_bind_blocks_total',
  'wfp_app_blocks_total',
]);

describe('replay → VictoriaMetrics (OTLP protobuf) → PromQL', { skip: needs('VictoriaMetrics', VICTORIA_METRICS === null ? `victoria-metrics not found: ${SETUP_HINT}` : null) }, () => {
  let vm: Backend;
  let dir: TempDir;
  before(async () => {
    vm = await startVictoriaMetrics();
    dir = tempDir();
  });
  after(async () => {
    await vm?.stop();
    dir?.remove();
  });

  it('returns per layer and per app exactly the counts of the replayed fixture events', async () => {
    const config = dir.write(
      'vm.yaml',
      `exporters:\n  otlp:\n    metrics_endpoint: ${vm.url}/opentelemetry/v1/metrics\n    protocol: http/protobuf\n    logs: false\n`,
    );
    const io = captureIo();
    const code = await replayCommand.run(['--config', config, ...fixtureFiles()], io);
    assert.equal(code, 0, io.err());
    assert.match(io.err(), /Metric exports failed: 0\./);

    const expected = expectedCounts();
    const selector = '{__name__=~"wfp_.+_total", __name__!~"wfp_agent_.+"}';
    const totalOf = (m: Counts) => [...m.values()].reduce((a, b) => a + b, 0);
    const grand = totalOf(expected.total);
    // New series become searchable after VictoriaMetrics flushes its in-memory parts (~10 s here).
    const byTotal = await queryUntil(vm, `sum by (__name__) (${selector})`, (s) => s.reduce((n, x) => n + x.value, 0) === grand, 60_000);
    assert.deepEqual(sortedEntries(countsBy(byTotal, '__name__')).map(([k, v]) => [k.split('|')[0], v]), sortedEntries(expected.total));

    const byLayer = await vm.query(`sum by (__name__, wfp_layer_name) (${selector})`);
    assert.deepEqual(sortedEntries(countsBy(byLayer, 'wfp_layer_name')), sortedEntries(expected.byLayer));

    const byApp = await vm.query(`sum by (__name__, process_executable_name) (${selector})`);
    assert.deepEqual(sortedEntries(countsBy(byApp, 'process_executable_name', APP_METRICS)), sortedEntries(expected.byApp));

    // The fixed names dashboards rely on, with their OTel attributes translated to labels.
    const conn = await vm.query('sum by (wfp_direction, network_transport, network_type) (wfp_connection_blocks_total)');
    assert.deepEqual(
      conn.map((s) => [s.labels['wfp_direction'], s.labels['network_transport'], s.labels['network_type'], s.value]).sort(),
      [['inbound', 'tcp', 'ipv4', 6], ['inbound', 'udp', 'ipv4', 1]],
    );
    // Resource attributes arrive as labels too.
    const svc = await vm.query('count by (service_name) (wfp_packet_drops_total)');
    assert.equal(svc[0]?.labels['service_name'], 'wfp-block-agent');
  });
});
