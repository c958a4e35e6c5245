// log.record.uid: deterministic per (host, channel, record id), distinct otherwise, on every record type.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import type { EventPipeline } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import type { SourceItem } from '../../../agent/source/index.ts';
import type { RawRecord } from '../../../agent/decode/index.ts';
import { RECORD_UID_NAMESPACE, recordUid } from '../../../agent/telemetry/index.ts';
import { readFileSync } from 'node:fs';
import { fixture, msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function pipeline(hostId?: string): EventPipeline {
  return createEventPipeline(loadConfig(undefined, () => undefined), { enricher: createBasicEnricher(), ...(hostId === undefined ? {} : { hostId }) });
}

function uidOf(p: EventPipeline, item: SourceItem): string {
  const out = p.process(item);
  assert.ok(out.ok, out.ok ? '' : out.detail);
  return out.value.record.attributes['log.record.uid'] as string;
}

const ITEM_5157 = loadReplayFile(fixture('ms-docs/event-5157.xml')).items[0]!;

function raw(overrides: Partial<RawRecord>): RawRecord {
  const p = pipeline().process(ITEM_5157);
  assert.ok(p.ok);
  return { ...p.value.event.raw, ...overrides };
}

describe('log.record.uid', () => {
  it('is the UUID v5 of "host\\nchannel\\nrecord id" in the agent namespace (values computed with Python uuid.uuid5)', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_URL, 'urn:wfp-block-agent:log.record.uid'))"
    assert.equal(RECORD_UID_NAMESPACE, '5ebc8e82-3aa3-5de9-9719-0f3c5494324d');
    // uuid.uuid5(ns, 'dc01.contoso.local\nSecurity\n304390'): the ms-docs 5157 event named by its Computer.
    assert.equal(uidOf(pipeline(), ITEM_5157), '7dc0e7e6-d127-58b0-a5b1-4e0d133a9f40');
    // The same event read live on a machine whose host.id is 0f6a…f8.
    assert.equal(uidOf(pipeline('0F6A2B3C4D5E6F708192A3B4C5D6E7F8'), ITEM_5157), '8db94915-9fee-520e-b7b2-dd1250e4a165');
  });

  it('the same event gives the same uid every time (a resend after a crash, another process, a replay)', () => {
    const again = loadReplayFile(fixture('ms-docs/event-5157.xml')).items[0]!;
    assert.equal(uidOf(pipeline(), ITEM_5157), uidOf(pipeline(), again));
    assert.equal(uidOf(pipeline('abc'), ITEM_5157), uidOf(pipeline('abc'), again));
    // Windows names are case-insensitive: DC01 and dc01 are one host.
    assert.equal(recordUid('DC01.CONTOSO.LOCAL', raw({})), recordUid('dc01.contoso.local', raw({})));
  });

  it('a different host, channel or record id gives a different uid', () => {
    const base = recordUid('dc01.contoso.local', raw({}));
    assert.notEqual(recordUid('dc02.contoso.local', raw({})), base);
    assert.notEqual(recordUid('dc01.contoso.local', raw({ channel: 'ForwardedEvents' })), base);
    assert.notEqual(recordUid('dc01.contoso.local', raw({ recordId: 304391 })), base);
    assert.notEqual(uidOf(pipeline('host-a'), ITEM_5157), uidOf(pipeline('host-b'), ITEM_5157));
  });

  it('an event without a record id is named by its content: stable, and distinct from its neighbours', () => {
    const a = raw({ recordId: null });
    assert.match(recordUid('h', a), UUID_V5);
    assert.equal(recordUid('h', a), recordUid('h', { ...a }));
    assert.notEqual(recordUid('h', a), recordUid('h', { ...a, time: '2015-09-22T03:46:51.662750500Z' }));
    assert.notEqual(recordUid('h', a), recordUid('h', { ...a, data: { ...a.data, SourcePort: '1' } }));
  });

  it('is on every record of every type in the fixtures, and unique per event', () => {
    const p = pipeline();
    const uids = new Map<string, string>();
    const names = new Set<string>();
    for (const file of [...msDocsFiles(), ...otrfFiles()]) {
      for (const item of loadReplayFile(file).items) {
        const out = p.process(item);
        assert.ok(out.ok, `${file}: ${out.ok ? '' : out.detail}`);
        const r = out.value.record;
        const uid = r.attributes['log.record.uid'];
        assert.equal(typeof uid, 'string', `${file} #${item.position} (${r.eventName})`);
        assert.match(uid as string, UUID_V5);
        const id = `${r.attributes['host.name']}/${r.attributes['windows.event.record_id']}`;
        assert.ok(!uids.has(uid as string) || uids.get(uid as string) === id, `${id} shares its uid with ${uids.get(uid as string)}`);
        uids.set(uid as string, id);
        names.add(r.eventName);
      }
    }
    // Network blocks and allows, packet drops, listen/bind, app block, filter change, audit policy, log clear.
    const types = ['wfp.connection.blocked', 'wfp.connection.allowed', 'wfp.packet.dropped', 'wfp.listen.blocked', 'wfp.bind.blocked', 'wfp.firewall.app_blocked', 'wfp.filter.changed', 'wfp.filter.present', 'windows.audit_policy.changed', 'windows.security_log.cleared'];
    for (const n of types) {
      assert.ok(names.has(n), `${n} among ${[...names].join(', ')}`);
    }
    assert.ok(uids.size > 100, `${uids.size} distinct events`);
  });

  it('agent/README.md documents it in the record contract, with the namespace', () => {
    const readme = readFileSync(new URL('../../../agent/README.md', import.meta.url), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `log.record.uid` |'));
    assert.ok(row !== undefined);
    assert.ok(row.includes(RECORD_UID_NAMESPACE));
  });
});
