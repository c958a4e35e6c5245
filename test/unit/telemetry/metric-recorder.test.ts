import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader, DataPointType } from '@opentelemetry/sdk-metrics';
import type { SumMetricData } from '@opentelemetry/sdk-metrics';
import { loadConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import type { ProcessedEvent } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { METRIC_DEFINITIONS, createMetricRecorder, metricForEventId } from '../../../agent/telemetry/index.ts';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

function processed(files: readonly string[]): ProcessedEvent[] {
  const pipeline = createEventPipeline(loadConfig(undefined, () => undefined), { enricher: createBasicEnricher() });
  const items = files.flatMap((f) => loadReplayFile(`${FIXTURES}${f}`).items);
  for (const item of items) pipeline.learn(item);
  const out: ProcessedEvent[] = [];
  for (const item of items) {
    const r = pipeline.process(item);
    if (r.ok) out.push(r.value);
  }
  return out;
}

async function record(events: readonly ProcessedEvent[], appLimit: number, cardinalityLimit = 2000) {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [{ instrumentName: 'wfp.*', aggregationCardinalityLimit: cardinalityLimit }],
  });
  const recorder = createMetricRecorder(provider.getMeter('test'), { appCardinalityLimit: appLimit });
  // Flushed every 7 events and at the end: coalesced counts must add up across flushes.
  events.forEach((e, i) => {
    recorder.record(e.event, e.enrichment);
    if (i % 7 === 6) recorder.flushPending();
  });
  recorder.flushPending();
  const { resourceMetrics } = await reader.collect();
  const series: { name: string; unit: string; monotonic: boolean; value: number; attributes: Record<string, unknown> }[] = [];
  for (const sm of resourceMetrics.scopeMetrics) {
    for (const m of sm.metrics) {
      assert.equal(m.dataPointType, DataPointType.SUM);
      for (const p of (m as SumMetricData).dataPoints) {
        series.push({ name: m.descriptor.name, unit: m.descriptor.unit, monotonic: (m as SumMetricData).isMonotonic, value: p.value, attributes: p.attributes });
      }
    }
  }
  await provider.shutdown();
  return series;
}

describe('metric instruments', () => {
  it('keeps the two fixed names and units, and maps every counted event id to exactly one counter', () => {
    assert.equal(metricForEventId(5157)?.name, 'wfp.connection.blocks');
    assert.equal(metricForEventId(5157)?.unit, '{connection}');
    assert.equal(metricForEventId(5152)?.name, 'wfp.packet.drops');
    assert.equal(metricForEventId(5153)?.name, 'wfp.packet.drops');
    assert.equal(metricForEventId(5152)?.unit, '{packet}');
    assert.equal(metricForEventId(5157)?.prometheusName, 'wfp_connection_blocks_total');
    for (const id of [5156, 5154, 5158, 5441, 4624]) assert.equal(metricForEventId(id), null, `${id} is not counted`);
    const ids = METRIC_DEFINITIONS.flatMap((d) => d.eventIds);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), [1102, 4719, 5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5447]);
  });
});

describe('createMetricRecorder', () => {
  it('counts the real sample events per counter with direction, layer, protocol, IP type and app attributes', async () => {
    const events = processed(['ms-docs/event-5157.xml', 'ms-docs/event-5152.xml', 'ms-docs/event-5156.xml', 'otrf/metasploit_procdump_lsass_memory_dump.wfp-subset.jsonl']);
    const series = await record(events, 200);
    const conn = series.filter((s) => s.name === 'wfp.connection.blocks');
    assert.deepEqual(
      conn.map((s) => [s.value, s.attributes]).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        [1, { 'wfp.direction': 'inbound', 'wfp.layer.name': 'Receive/Accept', 'wfp.protocol.name': 'tcp', 'process.executable.name': 'listener.exe', 'network.transport': 'tcp', 'network.type': 'ipv4', 'wfp.block.kind': 'unknown' }],
        [1, { 'wfp.direction': 'inbound', 'wfp.layer.name': 'Receive/Accept', 'wfp.protocol.name': 'udp', 'process.executable.name': 'System', 'network.transport': 'udp', 'network.type': 'ipv4', 'wfp.block.kind': 'unknown' }],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    assert.ok(conn.every((s) => s.unit === '{connection}' && s.monotonic));
    const drops = series.filter((s) => s.name === 'wfp.packet.drops');
    // ms-docs 5152 (1) + metasploit 5152 (13: 8 inbound UDP, 5 outbound ICMP, which has no network.transport value)
    assert.equal(drops.reduce((n, s) => n + s.value, 0), 14);
    const icmp = drops.find((s) => s.attributes['wfp.protocol.name'] === 'icmp');
    assert.equal(icmp?.value, 5);
    assert.equal(icmp?.attributes['network.transport'], undefined);
    assert.equal(icmp?.attributes['wfp.direction'], 'outbound');
    assert.equal(series.reduce((n, s) => n + s.value, 0), 16); // 2 connections + 14 drops; 5156 (allowed) not counted
  });

  it('holds the counts until flushPending, then gives the same series as one add per event', async () => {
    const events = processed(['otrf/metasploit_procdump_lsass_memory_dump.wfp-subset.jsonl', 'ms-docs/event-5157.xml', 'ms-docs/event-5152.xml']);
    const series = async (flushEvery: number, check?: (collect: () => Promise<string[]>) => Promise<void>): Promise<string[]> => {
      const reader = new CollectingReader();
      const provider = new MeterProvider({ readers: [reader] });
      const recorder = createMetricRecorder(provider.getMeter('test'), { appCardinalityLimit: 200 });
      const collect = async (): Promise<string[]> =>
        (await reader.collect()).resourceMetrics.scopeMetrics
          .flatMap((sm) => sm.metrics.flatMap((m) => (m as SumMetricData).dataPoints.map((p) => `${m.descriptor.name} ${p.value} ${JSON.stringify(p.attributes)}`)))
          .sort();
      events.forEach((e, i) => {
        recorder.record(e.event, e.enrichment);
        if ((i + 1) % flushEvery === 0) recorder.flushPending();
      });
      if (check !== undefined) await check(collect);
      recorder.flushPending();
      const out = await collect();
      await provider.shutdown();
      return out;
    };
    const perEvent = await series(1);
    const coalesced = await series(Number.MAX_SAFE_INTEGER, async (collect) => assert.deepEqual(await collect(), [], 'nothing reaches the SDK before flushPending'));
    assert.ok(perEvent.length >= 3, `too few series to tell anything: ${perEvent.length}`);
    assert.deepEqual(coalesced, perEvent);
  });

  it('puts apps beyond the per-counter limit into the otel.metric.overflow series, keeping totals exact', async () => {
    const events = processed(['otrf/covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.wfp-subset.jsonl', 'ms-docs/event-5157.xml', 'otrf/metasploit_procdump_lsass_memory_dump.wfp-subset.jsonl']);
    const conn5157 = events.filter((e) => e.event.body.eventId === 5157);
    assert.equal(conn5157.length, 7);
    const series = (await record(events, 1)).filter((s) => s.name === 'wfp.connection.blocks');
    // First app seen keeps its name (services.exe ×5, file order); listener.exe and System overflow.
    const named = series.filter((s) => s.attributes['otel.metric.overflow'] === undefined);
    assert.deepEqual(named.map((s) => [s.attributes['process.executable.name'], s.value]), [['services.exe', 5]]);
    const overflow = series.filter((s) => s.attributes['otel.metric.overflow'] === true);
    assert.equal(overflow.length, 1);
    assert.deepEqual(overflow[0]?.attributes, { 'otel.metric.overflow': true });
    assert.equal(overflow[0]?.value, 2);
  });

  it('lets the SDK fold attribute combinations beyond cardinality_limit into the same overflow series', async () => {
    const events = processed(['otrf/cmd_netsh_fw_mod_open_ports_2020-10-2100191105.wfp-subset.jsonl']);
    const changes = events.filter((e) => e.event.body.eventId === 5447).length;
    assert.equal(changes, 8);
    const series = (await record(events, 200, 3)).filter((s) => s.name === 'wfp.filter.changes');
    // limit 3: two real series, the third slot is the overflow series
    assert.equal(series.length, 3);
    assert.equal(series.filter((s) => s.attributes['otel.metric.overflow'] === true).length, 1);
    assert.equal(series.reduce((n, s) => n + s.value, 0), changes);
  });
});
