// Compliance of the live path's self-metrics: read, acknowledged, lag, possible loss, errors, pauses.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { createPumpMetrics } from '../../../agent/runtime/index.ts';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { OUTAGE } from '../../helpers/in-memory-sink.ts';
import { blockEvents, startLiveAgent, stopLiveAgents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function snapshot(reader: TestReader): Promise<Map<string, MetricData>> {
  const { resourceMetrics } = await reader.collect();
  return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
}

function total(metrics: Map<string, MetricData>, name: string, attributes: Record<string, string> = {}): number {
  const data = metrics.get(name);
  if (data === undefined) return 0;
  return (data.dataPoints as DataPoint<number>[])
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + p.value, 0);
}

describe('createPumpMetrics', () => {
  afterEach(() => stopLiveAgents());

  it('counts read, acknowledged, export errors and possible loss, and reports lag', async () => {
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(10));
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' }, meterProvider });
    await waitFor(() => agent.exportedIds().length === 10);
    agent.sink.failing = OUTAGE;
    log.append(...blockEvents(150));
    await waitFor(() => agent.sink.flushCalls >= 5);
    let metrics = await snapshot(reader);
    assert.equal(total(metrics, 'wfp_agent.source.records_acknowledged'), 10);
    assert.equal(total(metrics, 'wfp_agent.source.lag'), 150, 'newest 160 minus acknowledged 10');
    assert.ok(total(metrics, 'wfp_agent.source.errors', { error_type: 'export' }) >= 4);
    // The bridge read up to 130 (a batch in flight and a full queue of 100); 131..140 are overwritten unread.
    log.wrapTo(141);
    const seen = agent.events.length;
    await waitFor(() => agent.events.slice(seen).some((e) => e.kind === 'newest-record'), 5000);
    agent.sink.failing = null;
    await waitFor(() => agent.exportedIds().length === 150);
    await agent.stop();
    metrics = await snapshot(reader);
    assert.equal(total(metrics, 'wfp_agent.source.records_read'), 150);
    assert.equal(total(metrics, 'wfp_agent.source.records_acknowledged'), 150);
    assert.equal(total(metrics, 'wfp_agent.source.lag'), 0);
    assert.equal(total(metrics, 'wfp_agent.source.records_possibly_lost', { reason: 'overwritten' }), 10);
    assert.equal(total(metrics, 'wfp_agent.source.loss_events', { reason: 'overwritten' }), 1);
    assert.equal(total(metrics, 'wfp_agent.source.pauses'), 0, 'a full queue blocks the bridge; it does not pause');
    await meterProvider.shutdown();
  });

  it('counts undecodable records as dropped, a live clear, a pause, bridge and checkpoint errors', async () => {
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const m = createPumpMetrics(meterProvider);
    m.dropped(2, 'undecodable');
    m.observe({ kind: 'log-cleared', recordId: 1 });
    m.observe({ kind: 'bridge-error', detail: 'x' });
    m.observe({ kind: 'paused', detail: 'The queue is full (100 records): reading stops until JS catches up.' });
    m.observe({ kind: 'checkpoint-write-failed', detail: 'y' });
    m.observe({ kind: 'possible-loss', reason: 'cleared', possiblyLost: null, detail: 'z' });
    assert.equal(m.lag(), null, 'no lag before anything is known');
    m.observe({ kind: 'checkpoint-loaded', recordId: 90 });
    m.observe({ kind: 'newest-record', recordId: 100 });
    assert.equal(m.lag(), 10);
    const metrics = await snapshot(reader);
    assert.equal(total(metrics, 'wfp_agent.source.records_dropped', { reason: 'undecodable' }), 2);
    assert.equal(total(metrics, 'wfp_agent.source.log_clears'), 1);
    assert.equal(total(metrics, 'wfp_agent.source.errors', { error_type: 'bridge' }), 1);
    assert.equal(total(metrics, 'wfp_agent.source.pauses'), 1);
    assert.equal(total(metrics, 'wfp_agent.source.errors', { error_type: 'checkpoint_write' }), 1);
    assert.equal(total(metrics, 'wfp_agent.source.loss_events', { reason: 'cleared' }), 1);
    assert.equal(total(metrics, 'wfp_agent.source.records_possibly_lost'), 0);
    await meterProvider.shutdown();
  });
});
