// Flood control on real events (ms-docs and OTRF 5152/5157 fixtures, repeated with new record ids and times):
// rate limits, the aggregate window on an injected clock, the key cap, suppression records.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../../agent/config/index.ts';
import type { AgentConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline, createFloodControl, createRateLimiter, floodQueueProblem, NEVER_SUPPRESSED_BY_DEFAULT } from '../../../agent/pipeline/index.ts';
import type { FloodControl, FloodVerdict, ProcessedEvent } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import type { TelemetryRecord } from '../../../agent/telemetry/index.ts';
import { msDocs } from '../../helpers/live-agent.ts';
import { OTRF } from '../../helpers/fixtures.ts';

const T = { timeout: 10_000 };

function configOf(events: string): AgentConfig {
  return parseConfig(`events: ${events}\n`, { file: '<test>', env: () => undefined });
}

/** The fixture event with a new record id and time (a flood made of one real event). */
function copy(xml: string, recordId: number, time: string): string {
  return xml.replace(/<EventRecordID>\d+<\/EventRecordID>/, `<EventRecordID>${recordId}</EventRecordID>`).replace(/SystemTime="[^"]+"/, `SystemTime="${time}"`);
}

function process(config: AgentConfig, xml: string, recordId: number): ProcessedEvent {
  const outcome = createEventPipeline(config, { enricher: createBasicEnricher() }).process({ text: xml, format: 'xml', recordId, file: 'flood', position: recordId });
  assert.ok(outcome.ok);
  return outcome.value;
}

function offerAll(flood: FloodControl, events: readonly ProcessedEvent[], nowMs: number): FloodVerdict[] {
  return events.map((p) => flood.offer(p, p.event.raw.recordId ?? -1, nowMs));
}

const at = (second: number): string => `2026-11-27T10:00:${String(second).padStart(2, '0')}.1234567Z`;

describe('rate limiter', () => {
  it('admits the limit per second and per id, then again in the next second', T, () => {
    const limiter = createRateLimiter({ 5152: 2 });
    assert.deepEqual([1, 2, 3].map(() => limiter.admit(5152, 10_000)), [true, true, false]);
    assert.equal(limiter.admit(5157, 10_500), true, 'an id without a limit is never held back');
    assert.equal(limiter.admit(5152, 10_999), false);
    assert.equal(limiter.admit(5152, 11_000), true);
  });

  it("'*' never limits 5031, 5155, 5157, 5159, 4719, 1102; listing one by its id does", T, () => {
    const star = createRateLimiter({ '*': 0 });
    for (const id of [5031, 5155, 5157, 5159, 4719, 1102]) assert.equal(star.limitFor(id), null, `${id}`);
    assert.deepEqual([...NEVER_SUPPRESSED_BY_DEFAULT].sort(), [1102, 4719, 5031, 5155, 5157, 5159]);
    assert.equal(star.limitFor(5441), 0, "the filter inventory is caught by '*'");
    assert.equal(star.admit(5157, 0), true);
    assert.equal(star.admit(5152, 0), false);
    const explicit = createRateLimiter({ '*': 0, 5157: 1 });
    assert.deepEqual([explicit.admit(5157, 0), explicit.admit(5157, 0)], [true, false]);
  });
});

describe('flood control: aggregate', () => {
  const config = configOf('{packet_drops: aggregate, aggregate_window_s: 60}');
  const flood = (): FloodControl => createFloodControl(config.events);
  const drops = Array.from({ length: 50 }, (_, i) => process(config, copy(msDocs(5152), 1000 + i, at(i)), 1000 + i));

  it('counts a flood of one key into one summary when the window closes on the clock', T, () => {
    const f = flood();
    assert.deepEqual(new Set(offerAll(f, drops, 5_000)), new Set(['aggregated']));
    assert.equal(f.heldFrom(), 1000, 'the checkpoint must stay before the first counted record');
    assert.deepEqual(f.closeDue(5_000 + 59_999), []);
    const [summary, ...rest] = f.closeDue(5_000 + 60_000);
    assert.equal(rest.length, 0);
    assert.equal(summary?.eventName, 'wfp.packet.dropped.summary');
    const a = summary!.attributes;
    assert.equal(a['wfp.summary.count'], 50);
    assert.equal(a['wfp.summary.first_record_id'], 1000);
    assert.equal(a['wfp.summary.first_time'], at(0));
    assert.equal(a['wfp.summary.last_time'], at(49));
    assert.equal(a['wfp.summary.window_s'], 60);
    // The key's attributes, from the real event.
    assert.equal(a['wfp.direction'], 'inbound');
    assert.equal(a['network.local.port'], 3333);
    assert.equal(a['wfp.protocol.name'], 'tcp');
    assert.equal(a['process.executable.name'], 'listener.exe');
    assert.equal(a['windows.event.record_id'], undefined, 'no single record id: it stands for many');
    assert.equal(summary!.timestamp, at(0));
    assert.match(summary!.body, /^Dropped 50 inbound TCP packets of listener\.exe on local port 3333 between .* and .* \(layer .*, no filter id; one summary per 60 s window\)\.$/);
    assert.equal(f.heldFrom(), null);
    assert.deepEqual(f.closeDue(10 ** 9), [], 'nothing open, nothing to close');
  });

  it('gives each summary a log.record.uid that is the same when the window is sent again after a crash', T, () => {
    const first = flood();
    offerAll(first, drops.slice(0, 10), 0);
    const again = flood();
    offerAll(again, drops.slice(0, 30), 0); // re-read after a restart: same first event, more events
    const [a] = first.closeAll();
    const [b] = again.closeAll();
    const uid = a?.attributes['log.record.uid'];
    assert.match(String(uid), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(b?.attributes['log.record.uid'], uid);
    assert.notEqual(uid, drops[0]?.record.attributes['log.record.uid'], 'not the first event\'s own uid');
    const other = flood();
    offerAll(other, drops.slice(1, 10), 0);
    assert.notEqual(other.closeAll()[0]?.attributes['log.record.uid'], uid);
  });

  it('closeAll emits the open window at once (stop, end of replay)', T, () => {
    const f = flood();
    offerAll(f, drops.slice(0, 3), 0);
    const records = f.closeAll();
    assert.equal(records.length, 1);
    assert.equal(records[0]?.attributes['wfp.summary.count'], 3);
    assert.equal(f.heldFrom(), null);
  });

  it('leaves 5157 and the other blocks alone: logged one by one', T, () => {
    const f = flood();
    const block = process(config, copy(msDocs(5157), 7, at(1)), 7);
    assert.equal(f.offer(block, 7, 0), 'logged');
    assert.equal(f.heldFrom(), null);
  });

  it('bounds the keys per window: further keys go into one overflow summary, nothing uncounted', T, () => {
    const small = configOf('{packet_drops: aggregate, aggregate_max_keys: 3}');
    const pipeline = createEventPipeline(small, { enricher: createBasicEnricher() });
    const otrf = readdirSync(OTRF).flatMap((f) => [...loadReplayFile(join(OTRF, f)).items]);
    const events = otrf.flatMap((item) => {
      const o = pipeline.process(item);
      return o.ok && o.value.event.raw.eventId === 5152 ? [o.value] : [];
    });
    assert.ok(events.length >= 20, 'OTRF has 5152s of many keys');
    const f = createFloodControl(small.events);
    const verdicts = offerAll(f, events, 0);
    const overflowed = verdicts.filter((v) => v === 'aggregate-overflow').length;
    assert.ok(overflowed > 0);
    const records = f.closeAll();
    assert.equal(records.length, 4, 'three keys and the overflow');
    const overflow = records[3]!;
    assert.equal(overflow.attributes['wfp.summary.overflow'], true);
    assert.equal(overflow.attributes['wfp.summary.max_keys'], 3);
    assert.equal(overflow.attributes['wfp.summary.count'], overflowed);
    const total = records.reduce((sum, r) => sum + Number(r.attributes['wfp.summary.count']), 0);
    assert.equal(total, events.length, 'every drop is in exactly one summary');
    // A new window has room for keys again.
    assert.equal(f.offer(events[events.length - 1]!, 1, 0), 'aggregated');
  });

  it('refuses a key cap the export queue cannot take beside a batch', T, () => {
    assert.equal(floodQueueProblem(config.events, 256, 16384), null);
    assert.match(floodQueueProblem(configOf('{packet_drops: aggregate, aggregate_max_keys: 20000}').events, 256, 16384) ?? '', /^events\.aggregate_max_keys \(20000\)/);
    assert.equal(floodQueueProblem(configOf('{aggregate_max_keys: 20000}').events, 256, 16384), null, 'only aggregate mode emits summaries');
    // Batches wait together while a window holds the checkpoint: two batches must fit beside the summaries.
    assert.equal(floodQueueProblem(configOf('{packet_drops: aggregate}').events, 3000, 16384), null);
    assert.match(floodQueueProblem(configOf('{packet_drops: aggregate}').events, 3500, 16384) ?? '', /plus two batches \(2 × 3500\)/);
    assert.match(floodQueueProblem(configOf('{rate_limits: {5152: 10}}').events, 9000, 16384) ?? '', /^With events\.rate_limits, two batches/);
    assert.equal(floodQueueProblem(configOf('{rate_limits: {5152: 10}}').events, 8000, 16384), null);
  });
});

describe('flood control with telemetry.ecs', () => {
  it('summaries and suppression records keep the ECS dataset, summaries the key ECS fields', T, () => {
    const config = parseConfig("telemetry: {ecs: true}\nevents: {packet_drops: aggregate, rate_limits: {5157: 0}}\n", { file: '<test>', env: () => undefined });
    const f = createFloodControl(config.events);
    offerAll(f, [1, 2].map((i) => process(config, copy(msDocs(5152), i, at(i)), i)), 0);
    offerAll(f, [3, 4].map((i) => process(config, copy(msDocs(5157), i, at(i)), i)), 0);
    const [summary, suppressed] = f.closeAll();
    assert.equal(summary?.attributes['data_stream.dataset'], 'windows.wfp');
    assert.equal(summary?.attributes['network.direction'], 'ingress');
    assert.deepEqual(summary?.attributes['event.category'], ['network']);
    assert.equal(summary?.attributes['process.name'], 'listener.exe');
    assert.equal(suppressed?.eventName, 'wfp.events.suppressed');
    assert.equal(suppressed?.attributes['data_stream.dataset'], 'windows.wfp');
    assert.equal(suppressed?.attributes['wfp.summary.count'], 2);
  });
});

describe('flood control: rate limits', () => {
  it('suppresses records over the limit and reports them in one record per id per window', T, () => {
    const config = configOf("{rate_limits: {5152: 3, '*': 0}, aggregate_window_s: 10}");
    const f = createFloodControl(config.events);
    const drops = Array.from({ length: 10 }, (_, i) => process(config, copy(msDocs(5152), 100 + i, at(i)), 100 + i));
    const blocks = Array.from({ length: 10 }, (_, i) => process(config, copy(msDocs(5157), 200 + i, at(i)), 200 + i));
    const verdicts = offerAll(f, [...drops, ...blocks], 1_000);
    assert.deepEqual(verdicts.slice(0, 10), [...Array(3).fill('logged'), ...Array(7).fill('suppressed')]);
    assert.deepEqual(new Set(verdicts.slice(10)), new Set(['logged']), "5157 is never suppressed by '*'");
    assert.equal(f.heldFrom(), 103, 'held from the first suppressed record');
    assert.deepEqual(f.closeDue(10_999), []);
    const records: TelemetryRecord[] = f.closeDue(11_000);
    assert.equal(records.length, 1);
    const r = records[0]!;
    assert.equal(r.eventName, 'wfp.events.suppressed');
    assert.equal(r.attributes['windows.event.id'], 5152);
    assert.equal(r.attributes['wfp.summary.count'], 7);
    assert.equal(r.attributes['wfp.summary.first_record_id'], 103);
    assert.equal(r.attributes['wfp.suppressed.limit_per_s'], 3);
    assert.equal(r.attributes['host.name'], 'DC01.contoso.local');
    assert.match(r.body, /^7 events 5152 not logged between .* over the rate limit of 3 per second/);
  });

  it('5157 is suppressed only when the admin lists it', T, () => {
    const config = configOf('{rate_limits: {5157: 1}}');
    const f = createFloodControl(config.events);
    const blocks = Array.from({ length: 3 }, (_, i) => process(config, copy(msDocs(5157), 1 + i, at(0)), 1 + i));
    assert.deepEqual(offerAll(f, blocks, 0), ['logged', 'suppressed', 'suppressed']);
    assert.equal(f.closeAll()[0]?.attributes['wfp.summary.count'], 2);
  });
});

describe('flood control configuration', () => {
  const problems = (yaml: string): string[] => {
    try {
      parseConfig(yaml, { file: 'agent.yaml', env: () => undefined });
      return [];
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message.split('\n');
    }
  };

  it('defaults to no aggregation, a 60 s window, 10,000 keys and no rate limits', T, () => {
    const events = configOf('{}').events;
    assert.deepEqual([events.packet_drops, events.aggregate_window_s, events.aggregate_max_keys, events.rate_limits], ['log', 60, 10000, {}]);
  });

  it('takes event ids as YAML keys and refuses anything else in one line each', T, () => {
    assert.deepEqual(configOf("{rate_limits: {5152: 500, '*': 100}}").events.rate_limits, { 5152: 500, '*': 100 });
    assert.deepEqual(problems('events:\n  rate_limits: {port-scan: 1}\n'), ['agent.yaml:2: events.rate_limits: expected text matching ^([0-9]{4}|\\*)$, found "port-scan"']);
    assert.deepEqual(problems('events:\n  rate_limits: {5152: -1}\n'), ['agent.yaml:2: events.rate_limits[5152]: expected a number >= 0, found -1']);
    assert.deepEqual(problems('events:\n  aggregate_window_s: 0\n'), ['agent.yaml:2: events.aggregate_window_s: expected a number >= 1, found 0']);
  });
});
