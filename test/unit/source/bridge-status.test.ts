// The bridge's "skipped" and "restarted" statuses through the real source, metrics and operator lines.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, InMemoryMetricExporter, AggregationTemporality, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { parseBridgeMessage } from '../../../agent/bridge/index.ts';
import type { BridgeAnswer, BridgeHost, BridgeMessage } from '../../../agent/bridge/index.ts';
import { createCheckpointStore } from '../../../agent/checkpoint/index.ts';
import { openWindowsEventLogSource } from '../../../agent/source/index.ts';
import type { SourceEvent } from '../../../agent/source/index.ts';
import { createPumpMetrics, formatSourceEvent } from '../../../agent/runtime/index.ts';
import { tempStateDir } from '../../helpers/live-agent.ts';

const LOG = { oldestRecordId: 1, newestRecordId: 100, recordCount: 100, fileSizeBytes: -1, maxSizeBytes: -1, retention: 'overwrite', isFull: false, lastWriteUtc: '' };

function stubBridge(): { host: BridgeHost; send: (m: unknown) => Promise<BridgeAnswer> } {
  let onMessage: ((m: BridgeMessage) => Promise<BridgeAnswer>) | null = null;
  const host: BridgeHost = {
    start: async (_o, handler) => {
      onMessage = handler;
      return { ok: true, value: undefined };
    },
    logInfo: async () => ({ ok: true, value: LOG }),
    driveMap: async () => ({ ok: true, value: {} }),
    stop: async () => undefined,
  };
  return {
    host,
    send: (raw) => {
      const parsed = parseBridgeMessage(raw);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      return onMessage!(parsed.value);
    },
  };
}

describe('bridge statuses for skipped records and restarted numbering', () => {
  it('counts render failures in records_dropped{reason="render_failed"} from the cumulative total, with the record id in the line', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const metrics = createPumpMetrics(provider);
    const events: SourceEvent[] = [];
    const bridge = stubBridge();
    const opened = await openWindowsEventLogSource({
      bridge: bridge.host,
      checkpoint: createCheckpointStore({ dir: tempStateDir() }),
      eventIds: [5157],
      start: { kind: 'beginning' },
      batchSize: 10,
      maxDelayMs: 20,
      queueBound: 10,
      backoffInitialMs: 5,
      backoffMaxMs: 5,
      observer: (e) => {
        events.push(e);
        metrics.observe(e);
      },
    });
    assert.ok(opened.ok);
    const status = (state: string, resumeAfter: number, extra: Record<string, unknown> = {}) =>
      bridge.send({ type: 'status', state, detail: `Record ${resumeAfter} cannot be rendered and is skipped: EventLogException: bad`, resumeAfter, log: null, ...extra });
    await status('skipped', 17, { skippedTotal: 1 });
    // Two statuses were lost to the bridge's bounded buffer: the total still says 4.
    await status('skipped', 90, { skippedTotal: 4 });
    await bridge.send({ type: 'status', state: 'restarted', detail: 'went back', resumeAfter: 3000, log: null });
    await reader.forceFlush();
    const dropped = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === 'wfp_agent.source.records_dropped')
      .at(-1);
    const point = dropped?.dataPoints.find((p) => p.attributes['reason'] === 'render_failed');
    assert.equal(point?.value, 4);
    const lines = events.map(formatSourceEvent).filter((l) => l !== null);
    assert.ok(lines.some((l) => /^Record 17 could not be rendered and was skipped/.test(l!)), lines.join('\n'));
    assert.ok(lines.some((l) => /^Record numbering went back below 3000 while reading: the log was cleared/.test(l!)), lines.join('\n'));
    await opened.value.shutdown();
    await provider.shutdown();
  });
});
