// Flood control on the live path (fake bridge → Windows source → real pipeline → pump → in-memory sink, real
// checkpoint file): the checkpoint is held before an open window and catches up when its summary is exported;
// stop flushes the window; a summary lost to a crash is rebuilt from the re-read events; metrics count all.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { parseConfig } from '../../../agent/config/index.ts';
import type { AgentConfig } from '../../../agent/config/index.ts';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { OUTAGE } from '../../helpers/in-memory-sink.ts';
import { msDocs, range, startLiveAgent, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import type { LiveAgent } from '../../helpers/live-agent.ts';

const T = { timeout: 20_000 };

function configOf(events: string): AgentConfig {
  return parseConfig(`events: ${events}\n`, { file: '<test>', env: () => undefined });
}

function savedRecordId(dir: string): number | null {
  return JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels.Security.record_id;
}

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The checkpoint reaches `id` and stays there (the ack follows the flush, so wait for it first). */
async function heldAt(dir: string, id: number): Promise<void> {
  await waitFor(() => savedRecordId(dir) === id);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(savedRecordId(dir), id);
}

async function counterTotal(reader: TestReader, name: string, attributes: Record<string, string | number>): Promise<number> {
  const { resourceMetrics } = await reader.collect();
  const data = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return ((data?.dataPoints ?? []) as DataPoint<number>[])
    .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
    .reduce((sum, p) => sum + p.value, 0);
}

/** Record ids of the events whose own log record was exported (not those only counted). */
function loggedIds(agent: LiveAgent): number[] {
  return agent.sink.exported.filter((e) => e.record !== null).map((e) => e.event.raw.recordId ?? -1);
}

/** 5 blocks (5157), `drops` packet drops (5152, a flood of one real event), 5 blocks: ids from 1. */
function floodLog(drops: number): FakeSecurityLog {
  const log = new FakeSecurityLog(1);
  log.append(...Array<string>(5).fill(msDocs(5157)));
  log.append(...Array<string>(drops).fill(msDocs(5152)));
  log.append(...Array<string>(5).fill(msDocs(5157)));
  return log;
}

describe('flood control on the live path (fake bridge)', () => {
  it('holds the checkpoint before the open window and advances it when the summary is exported', T, async () => {
    let now = 1_000_000;
    const reader = new TestReader();
    const dir = tempStateDir();
    const agent = startLiveAgent({
      log: floodLog(30),
      stateDir: dir,
      start: { kind: 'beginning' },
      config: configOf('{packet_drops: aggregate, aggregate_window_s: 60}'),
      clock: () => now,
      meterProvider: new MeterProvider({ readers: [reader] }),
    });
    try {
      await waitFor(() => agent.sink.exported.length === 40);
      // Every event reached the sink for the metrics; only the ten 5157s as records of their own.
      assert.deepEqual(loggedIds(agent), [...range(1, 5), ...range(36, 40)]);
      await heldAt(dir, 5); // just before the first drop the open window counted
      assert.equal(agent.sink.exportedRecords.length, 0, 'the window is open: no summary yet');
      assert.equal(await counterTotal(reader, 'wfp_agent.flood.events_not_logged', { reason: 'aggregated', 'windows.event.id': 5152 }), 30);

      now += 60_000; // the window closes on the next (empty) read
      await waitFor(() => agent.sink.exportedRecords.length === 1);
      const summary = agent.sink.exportedRecords[0]!;
      assert.equal(summary.eventName, 'wfp.packet.dropped.summary');
      assert.equal(summary.attributes['wfp.summary.count'], 30);
      assert.equal(summary.attributes['wfp.summary.first_record_id'], 6);
      await waitFor(() => savedRecordId(dir) === 40);
    } finally {
      await agent.stop();
    }
  });

  it('on stop, the open window is emitted and the checkpoint reaches the last record', T, async () => {
    const dir = tempStateDir();
    const agent = startLiveAgent({ log: floodLog(20), stateDir: dir, start: { kind: 'beginning' }, config: configOf('{packet_drops: aggregate}'), clock: () => 0 });
    try {
      await waitFor(() => agent.sink.exported.length === 30);
      await heldAt(dir, 5);
    } finally {
      await agent.stop();
    }
    assert.equal(agent.sink.exportedRecords.length, 1);
    assert.equal(agent.sink.exportedRecords[0]?.attributes['wfp.summary.count'], 20);
    assert.equal(savedRecordId(dir), 30);
  });

  it('a summary that never got out (backend down at stop) is rebuilt after restart: the count is not lost', T, async () => {
    const dir = tempStateDir();
    const log = floodLog(25);
    const config = configOf('{packet_drops: aggregate}');
    const first = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' }, config, clock: () => 0 });
    try {
      await waitFor(() => first.sink.exported.length === 35);
      await heldAt(dir, 5);
      first.sink.failing = OUTAGE;
    } finally {
      await first.stop();
    }
    assert.equal(first.sink.exportedRecords.length, 0);
    assert.equal(savedRecordId(dir), 5, 'the checkpoint did not pass the uncounted drops');

    const second = startLiveAgent({ log, stateDir: dir, config, clock: () => 0 });
    try {
      await waitFor(() => second.sink.exported.length === 30, 10_000);
    } finally {
      await second.stop();
    }
    assert.equal(second.sink.exported[0]?.event.raw.recordId, 6, 'resumed at the first held drop');
    assert.deepEqual(second.sink.exportedRecords.map((r) => r.attributes['wfp.summary.count']), [25]);
    assert.equal(savedRecordId(dir), 35);
  });

  it('stopping while the export fails does not try the window again: its events stay after the checkpoint', T, async () => {
    const dir = tempStateDir();
    const log = new FakeSecurityLog(1);
    log.append(...Array<string>(5).fill(msDocs(5157)));
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' }, config: configOf('{packet_drops: aggregate}'), clock: () => 0 });
    let flushesAtStop = 0;
    try {
      await waitFor(() => agent.sink.exported.length === 5);
      await heldAt(dir, 5);
      agent.sink.failing = OUTAGE;
      log.append(...Array<string>(8).fill(msDocs(5152)));
      await waitFor(() => agent.sink.flushCalls >= 4);
    } finally {
      flushesAtStop = agent.sink.flushCalls;
      await agent.stop();
    }
    assert.ok(agent.sink.flushCalls <= flushesAtStop + 1, 'one last flush for the batch in hand, none for the window');
    assert.equal(agent.sink.pendingRecords.length, 0, 'no summary was emitted for a window that could not be exported');
    assert.equal(savedRecordId(dir), 5);
  });

  it('rate limits: over the limit counted (metrics and one suppression record per window), 5157 untouched by *', T, async () => {
    let now = 5_000;
    const reader = new TestReader();
    const dir = tempStateDir();
    const agent = startLiveAgent({
      log: floodLog(40),
      stateDir: dir,
      start: { kind: 'beginning' },
      config: configOf("{rate_limits: {5152: 10, '*': 0}, aggregate_window_s: 30}"),
      clock: () => now,
      meterProvider: new MeterProvider({ readers: [reader] }),
      batchSize: 50,
    });
    try {
      await waitFor(() => agent.sink.exported.length === 50);
      assert.deepEqual(loggedIds(agent), [...range(1, 5), ...range(6, 15), ...range(46, 50)], 'ten 5152s logged in this second, every 5157');
      assert.equal(await counterTotal(reader, 'wfp_agent.flood.events_not_logged', { reason: 'suppressed', 'windows.event.id': 5152 }), 30);
      await heldAt(dir, 15); // before the first suppressed record
      now += 30_000;
      await waitFor(() => agent.sink.exportedRecords.length === 1);
      const r = agent.sink.exportedRecords[0]!;
      assert.equal(r.eventName, 'wfp.events.suppressed');
      assert.equal(r.attributes['wfp.summary.count'], 30);
      assert.equal(r.attributes['wfp.summary.first_record_id'], 16);
      await waitFor(() => savedRecordId(dir) === 50);
    } finally {
      await agent.stop();
    }
  });
});
