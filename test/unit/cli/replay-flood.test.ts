// Flood control on the file paths: replay runs windows on the events' own times and emits the open window at the
// end; metrics (the real OTel sink's Prometheus endpoint) still count every event; explain says what it does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../agent/config/index.ts';
import type { AgentConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createOtelTelemetrySink } from '../../../agent/export/index.ts';
import { createEventPipeline, createFloodControl } from '../../../agent/pipeline/index.ts';
import type { SourceItem } from '../../../agent/source/index.ts';
import { replayIntoSink } from '../../../agent/cli/commands/replay-command.ts';
import { main } from '../../../agent/cli/main.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { msDocs } from '../../helpers/live-agent.ts';

const T = { timeout: 20_000 };

function configOf(yaml: string): AgentConfig {
  return parseConfig(yaml, { file: '<test>', env: () => undefined });
}

/** Real fixture events, repeated with new record ids and one second apart from 10:00:00. */
function flood(xml: string, count: number, firstId: number): SourceItem[] {
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const time = new Date(Date.UTC(2026, 10, 27, 10, 0, 0) + i * 1000).toISOString();
    const text = xml.replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${id}</EventRecordID>`).replace(/SystemTime="[^"]+"/, `SystemTime="${time}"`);
    return { text, format: 'xml', recordId: id, file: 'flood.xml', position: i + 1 };
  });
}

describe('replay with flood control', () => {
  it('closes windows on event time and emits the last one at the end', T, async () => {
    const config = configOf('events: {packet_drops: aggregate, aggregate_window_s: 60}\n');
    const items = [...flood(msDocs(5152), 200, 1), ...flood(msDocs(5157), 3, 1000)];
    const sink = createInMemorySink();
    const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
    const r = await replayIntoSink(items, pipeline, sink, 64, () => assert.fail('no bad records'), createFloodControl(config.events));
    assert.equal(r.flushError, null);
    assert.equal(r.counts.aggregated, 200);
    assert.equal(r.counts.logged, 3);
    assert.deepEqual(sink.exportedRecords.map((s) => s.attributes['wfp.summary.count']), [60, 60, 60, 20]);
    assert.deepEqual(sink.exportedRecords.map((s) => s.attributes['wfp.summary.first_record_id']), [1, 61, 121, 181]);
    assert.equal(sink.exported.length, 203, 'every event still reaches the metrics');
  });

  it('the real sink counts every aggregated drop in its metrics and sends the summaries; * leaves 5157 and 5155 alone', T, async () => {
    const config = configOf(
      'exporters:\n  otlp: {enabled: false}\n  console: {enabled: true}\n  prometheus: {enabled: true, host: 127.0.0.1, port: 0}\n' +
        "events: {packet_drops: aggregate, rate_limits: {'*': 0}}\n",
    );
    let consoleText = '';
    const created = await createOtelTelemetrySink({ config, env: () => undefined, write: (t) => void (consoleText += t) });
    assert.ok(created.ok);
    const sink = created.value;
    try {
      const items = [...flood(msDocs(5152), 120, 1), ...flood(msDocs(5157), 10, 500), ...flood(msDocs(5155), 4, 600)];
      const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
      const r = await replayIntoSink(items, pipeline, sink, 64, () => assert.fail('no bad records'), createFloodControl(config.events));
      assert.equal(r.flushError, null);
      // '*' never catches 5157 and 5155: all logged.
      assert.equal(r.counts.suppressed, 0);
      assert.equal(r.counts.logged, 14);
      const text = await (await fetch(sink.prometheusUrl ?? '')).text();
      const sum = (metric: string): number =>
        text
          .split('\n')
          .filter((l) => l.startsWith(`${metric}{`))
          .reduce<number>((total, l) => total + Number(l.split(' ').pop()), 0);
      assert.equal(sum('wfp_packet_drops_total'), 120, 'aggregated drops are all in the metrics');
      assert.equal(sum('wfp_connection_blocks_total'), 10);
      assert.equal(sink.stats().logRecords, 14 + r.counts.summaries);
      assert.ok(r.counts.summaries >= 2, 'two or more windows over 120 s of drops');
      assert.match(consoleText, /wfp\.packet\.dropped\.summary/);
    } finally {
      await sink.shutdown();
    }
  });

  it('suppressed events are counted in the metrics too', T, async () => {
    const config = configOf('exporters:\n  otlp: {enabled: false}\n  prometheus: {enabled: true, host: 127.0.0.1, port: 0}\nevents: {rate_limits: {5157: 0}}\n');
    const created = await createOtelTelemetrySink({ config, env: () => undefined });
    assert.ok(created.ok);
    const sink = created.value;
    try {
      const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
      const r = await replayIntoSink(flood(msDocs(5157), 25, 1), pipeline, sink, 64, () => undefined, createFloodControl(config.events));
      assert.equal(r.counts.suppressed, 25);
      assert.equal(r.counts.logged, 0);
      const text = await (await fetch(sink.prometheusUrl ?? '')).text();
      const line = text.split('\n').find((l) => l.startsWith('wfp_connection_blocks_total{'));
      assert.equal(Number(line?.split(' ').pop()), 25);
    } finally {
      await sink.shutdown();
    }
  });
});

describe('wfp-agent replay with packet_drops: aggregate', () => {
  it('prints the summary records through the console exporter and counts them in its summary', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-flood-'));
    const cfg = join(dir, 'agent.yaml');
    writeFileSync(cfg, 'exporters:\n  otlp: {enabled: false}\n  console: {enabled: true}\nevents: {packet_drops: aggregate}\n');
    const file = join(dir, 'drops.xml');
    writeFileSync(file, [...flood(msDocs(5152), 90, 1), ...flood(msDocs(5157), 2, 100)].map((i) => i.text).join('\n'));
    const io = captureIo();
    assert.equal(await main(['replay', '--config', cfg, file], io), 0, io.err());
    assert.equal(io.out().match(/wfp\.packet\.dropped\.summary/g)?.length, 2, 'one summary per 60 s window of 90 s of drops');
    assert.match(io.err(), /Flood control: 90 packet drops aggregated, 0 events over rate limits; 2 summary records emitted\./);
    assert.match(io.err(), /Log records: 4 emitted, 4 exported/);
  });
});

describe('explain with packet_drops: aggregate', () => {
  it('marks each drop as aggregated and says so in the summary line', T, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-flood-'));
    const cfg = join(dir, 'agent.yaml');
    writeFileSync(cfg, 'events: {packet_drops: aggregate}\n');
    const file = join(dir, 'drops.xml');
    writeFileSync(file, flood(msDocs(5152), 3, 1).map((i) => i.text).join('\n'));
    const io = captureIo();
    assert.equal(await main(['explain', '--config', cfg, file], io), 0);
    assert.equal(io.out().match(/\[aggregate: counted in metrics and in its wfp\.packet\.dropped\.summary, not sent alone\]/g)?.length, 3);
    assert.match(io.err(), /3 records: 3 good, 0 bad; 0 logged, 3 aggregated into summaries, 0 counted only/);
    const help = captureIo();
    await main(['explain', '--help'], help);
    assert.match(help.out(), /events\.rate_limits are not applied here/);
  });
});
