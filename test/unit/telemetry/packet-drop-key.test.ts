// packetDropKey reads the event, not its record (so a drop counted into a summary needs no record built). It must
// group events exactly as their records' key attributes would: checked over every bundled network event (ms-docs
// and OTRF, with the synthetic filter list so filter names and rules are filled), pair by pair.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../agent/config/index.ts';
import { loadEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { packetDropKey } from '../../../agent/telemetry/index.ts';
import { fixture, msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';

/** The record attributes a summary key stands for (host, event id, direction, layer, protocol, application, local port, filter). */
function keyOfRecord(a: Readonly<Record<string, unknown>>): string {
  return JSON.stringify([
    a['host.name'],
    a['windows.event.id'],
    a['wfp.direction'],
    a['wfp.layer.code'] ?? a['wfp.layer.name'],
    a['wfp.protocol.number'],
    a['process.executable.path'],
    a['network.local.port'],
    a['wfp.filter.id'],
  ]);
}

describe('packet-drop summary key', { timeout: 30_000 }, () => {
  it('groups the bundled network events exactly as their records do', () => {
    const config = parseConfig(`events: {include_allowed: true}\nfilters: {file: ${JSON.stringify(fixture('netsh-wfp', 'synthetic-filters.xml'))}}\n`, {
      file: '<test>',
      env: () => undefined,
    });
    const enricher = loadEnricher({ config });
    assert.ok(enricher.ok);
    const pipeline = createEventPipeline(config, { enricher: enricher.value });
    const seen: { key: string; recordKey: string }[] = [];
    for (const file of [...msDocsFiles(), ...otrfFiles()]) {
      for (const item of loadReplayFile(file).items) {
        const outcome = pipeline.process(item);
        if (!outcome.ok || outcome.value.event.body.type !== 'network') continue;
        const p = outcome.value;
        seen.push({ key: packetDropKey(p.event, p.enrichment), recordKey: keyOfRecord(p.record.attributes) });
      }
    }
    const keys = new Set(seen.map((s) => s.key));
    assert.ok(seen.length >= 100 && keys.size >= 10, `too few events or keys to tell anything: ${seen.length} events, ${keys.size} keys`);
    // The same partition: a key names one record key and a record key one key.
    const recordKeyOf = new Map<string, string>();
    const keyOf = new Map<string, string>();
    for (const { key, recordKey } of seen) {
      assert.equal(recordKeyOf.get(key) ?? recordKey, recordKey, `one event key, two record keys: ${key}`);
      assert.equal(keyOf.get(recordKey) ?? key, key, `one record key, two event keys: ${recordKey}`);
      recordKeyOf.set(key, recordKey);
      keyOf.set(recordKey, key);
    }
  });
});
