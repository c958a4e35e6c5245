// `wfp-agent replay` into a test OTLP receiver (the stand-in for a log backend: none is packaged for Debian),
// over protobuf and JSON, plain and gzip: every kept event arrives exactly once with its attributes, severity
// and full-precision time; the metric points add up to the counts taken independently from the files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { loadConfig, parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import type { TelemetryRecord } from '../../agent/telemetry/index.ts';
import { loadReplayFile } from '../../agent/source/index.ts';
import { createFilePipeline, loadItems } from '../../agent/cli/file-input.ts';
import { replayCommand, replayIntoSink } from '../../agent/cli/commands/replay-command.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import { AGENT_VERSION } from '../../agent/shared/index.ts';
import { protoUnavailable, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver, ReceivedLog } from '../helpers/otlp-receiver.ts';
import { captureIo, tempDir } from './cli-io.ts';
import type { TempDir } from './cli-io.ts';
import { expectedCounts, fixtureEvents, fixtureFiles } from './fixture-counts.ts';
import { needs } from '../helpers/test-dependency.ts';

const DEFAULT_COLLECT = new Set([5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102]);

/**
 * What the pipeline (the one `explain` prints) says should be exported, and how many events it only counts
 * (routine blocks kept out of the logs); the record contract itself is tested where it lives.
 */
function expectedRecords(files: readonly string[]): { logged: TelemetryRecord[]; counted: number } {
  const config = loadConfig(undefined, () => undefined);
  const enricher = loadEnricher({ config });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  const items = files.flatMap((f) => loadReplayFile(f).items);
  for (const item of items) pipeline.learn(item);
  const logged: TelemetryRecord[] = [];
  let counted = 0;
  for (const item of items) {
    const r = pipeline.process(item);
    if (r.ok && r.value.disposition === 'logged') logged.push(r.value.record);
    if (r.ok && r.value.disposition === 'counted') counted++;
  }
  return { logged, counted };
}

/** RFC 3339 with up to 9 fraction digits → nanoseconds since the epoch, in BigInt (independent of the agent). */
function nanos(text: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text);
  assert.ok(m, `not RFC 3339 UTC: ${text}`);
  return (BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))).toString();
}

function keyOfRecord(r: TelemetryRecord): string {
  return JSON.stringify([r.eventName, nanos(r.timestamp), r.severityNumber, r.severityText, r.body, sorted(r.attributes)]);
}
function keyOfReceived(r: ReceivedLog): string {
  return JSON.stringify([r.eventName, r.timeUnixNano, r.severityNumber, r.severityText, r.body, sorted(r.attributes)]);
}
function sorted(o: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

const skip = needs('OTLP .proto files', protoUnavailable());

describe('replay → OTLP receiver', { skip }, () => {
  const files = fixtureFiles();
  let dir: TempDir;
  before(() => {
    dir = tempDir();
  });
  after(() => dir.remove());

  for (const [protocol, compression] of [
    ['http/protobuf', 'none'],
    ['http/json', 'none'],
    ['http/protobuf', 'gzip'],
  ] as const) {
    it(`delivers every kept event exactly once over ${protocol} (${compression})`, async () => {
      const receiver: OtlpReceiver = await startOtlpReceiver();
      try {
        const config = dir.write(
          `${protocol.replace('/', '-')}-${compression}.yaml`,
          `exporters:\n  otlp:\n    endpoint: ${receiver.url}\n    protocol: ${protocol}\n    compression: ${compression}\n` +
            // small batches and queue, so the fixtures take several requests and several flushes
            `  batch: {max_queue_size: 100, max_export_batch_size: 40}\nservice: {environment: test, resource_attributes: {site: lab}}\n`,
        );
        const io = captureIo();
        const code = await replayCommand.run(['--config', config, ...files], io);
        assert.equal(code, 0, io.err());

        // Independently: how many events of the collected ids the files hold.
        const collected = fixtureEvents(files).filter((e) => DEFAULT_COLLECT.has(e.id)).length;
        const { logged: expected, counted } = expectedRecords(files);
        const kept = expected.length;
        assert.equal(kept + counted, collected);
        assert.equal(receiver.logs.length, kept, 'each event once, none lost, none doubled');
        assert.deepEqual(receiver.logs.map(keyOfReceived).sort(), expected.map(keyOfRecord).sort());
        assert.ok(receiver.requests.filter((r) => r.path === '/v1/logs').length >= Math.ceil(kept / 40));
        for (const r of receiver.requests) {
          assert.equal(r.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
          assert.equal(r.contentEncoding, compression === 'gzip' ? 'gzip' : '');
        }
        assert.match(io.err(), new RegExp(`${kept} emitted, ${kept} exported, 0 failed, 0 dropped`));

        // Resource and scope.
        const first = receiver.logs[0]!;
        assert.equal(first.resource['service.name'], 'wfp-block-agent');
        assert.equal(first.resource['service.version'], AGENT_VERSION);
        assert.equal(first.resource['host.name'], hostname());
        assert.equal(first.resource['deployment.environment.name'], 'test');
        assert.equal(first.resource['site'], 'lab');
        assert.equal(typeof first.resource['os.type'], 'string');
        assert.notEqual(first.resource['service.instance.id'], '');
        assert.equal(first.scope, 'wfp-block-agent');
        // A known event, field by field: the docs' 5157 (7 fraction digits kept to the nanosecond).
        const docs5157 = receiver.logs.find((l) => l.attributes['windows.event.record_id'] === 304390);
        assert.equal(docs5157?.eventName, 'wfp.connection.blocked');
        assert.equal(docs5157?.timeUnixNano, '1442893611662750400');
        assert.equal(docs5157?.severityNumber, 13);
        assert.equal(docs5157?.severityText, 'WARN');
        assert.equal(docs5157?.attributes['network.local.port'], 3333);
        assert.notEqual(docs5157?.observedTimeUnixNano, '0');

        // Metrics: the last cumulative export holds the totals counted independently from the files.
        const last = receiver.pointBatches[receiver.pointBatches.length - 1] ?? [];
        const totals = new Map<string, number>();
        for (const p of last) {
          if (!p.metric.startsWith('wfp.') || p.metric.startsWith('wfp.agent.')) continue;
          assert.equal(p.temporality, 2, 'cumulative');
          const prom = `${p.metric.replace(/\./g, '_')}_total`;
          totals.set(prom, (totals.get(prom) ?? 0) + p.value);
        }
        assert.deepEqual([...totals].sort(), [...expectedCounts().total].sort());
      } finally {
        await receiver.close();
      }
    });
  }

  it('sends delta temporality when metrics.temporality is delta: the points of several pushes add up to the counts', async () => {
    const receiver: OtlpReceiver = await startOtlpReceiver();
    try {
      // One replay pushes its metrics once, at the end; three slices into one sink push three times.
      const config = parseConfig(
        `exporters:\n  otlp:\n    endpoint: ${receiver.url}\n    logs: false\n  batch: {max_queue_size: 100, max_export_batch_size: 40}\nmetrics: {temporality: delta}\n`,
        { file: 'delta.yaml', env: () => undefined },
      );
      const created = await createOtelTelemetrySink({ config, env: () => undefined });
      assert.ok(created.ok, created.ok ? '' : created.problems.join('\n'));
      const enricher = loadEnricher({ config });
      assert.ok(enricher.ok);
      const pipeline = createFilePipeline(config, enricher.value);
      const { items } = loadItems(files, pipeline, (line) => assert.fail(line));
      const third = Math.ceil(items.length / 3);
      for (let start = 0; start < items.length; start += third) {
        const r = await replayIntoSink(items.slice(start, start + third), pipeline, created.value, 1000);
        assert.equal(r.flushError, null);
      }
      await created.value.shutdown();
      assert.ok(receiver.pointBatches.length > 1, 'several pushes');
      const totals = new Map<string, number>();
      for (const p of receiver.points) {
        if (!p.metric.startsWith('wfp.') || p.metric.startsWith('wfp.agent.')) continue;
        assert.equal(p.temporality, 1, 'delta');
        const prom = `${p.metric.replace(/\./g, '_')}_total`;
        totals.set(prom, (totals.get(prom) ?? 0) + p.value);
      }
      assert.deepEqual([...totals].sort(), [...expectedCounts().total].sort());
      assert.equal(receiver.logs.length, 0);
    } finally {
      await receiver.close();
    }
  });
});
