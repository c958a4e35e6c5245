// telemetry.ecs: every ECS field the agent adds is checked against the ECS definitions Elastic publishes
// (@elastic/ecs: name, type, array-ness, allowed values, the category's expected event types), and the values
// against the bundled real events: inbound and outbound, under both logging conventions for the sides.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { EcsFlat } from '@elastic/ecs';
import { parseConfig } from '../../../agent/config/index.ts';
import { loadEnricher } from '../../../agent/enrich/index.ts';
import { createFilePipeline } from '../../../agent/cli/file-input.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import type { AttributeValue } from '../../../agent/telemetry/index.ts';
import { ECS_DATASET } from '../../../agent/telemetry/index.ts';
import { fixture, msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';

interface EcsFieldDefinition {
  readonly type: string;
  readonly normalize: readonly string[];
  readonly allowed_values?: readonly { readonly name: string; readonly expected_event_types?: readonly string[] }[];
}
const ECS = EcsFlat as unknown as Readonly<Record<string, EcsFieldDefinition>>;

interface Pair {
  readonly eventId: number;
  readonly plain: Readonly<Record<string, AttributeValue>>;
  readonly ecs: Readonly<Record<string, AttributeValue>>;
}

function records(): Pair[] {
  const out: Pair[] = [];
  const pipelines = [false, true].map((ecs) => {
    const config = parseConfig(`events: {include_allowed: true}\ntelemetry: {ecs: ${ecs}}\nfilters: {file: ${JSON.stringify(fixture('netsh-wfp', 'synthetic-filters.xml'))}}\n`, {
      file: '<test>',
      env: () => undefined,
    });
    const enricher = loadEnricher({ config });
    assert.ok(enricher.ok);
    return createFilePipeline(config, enricher.value);
  });
  for (const file of [...msDocsFiles(), ...otrfFiles()]) {
    for (const item of loadReplayFile(file).items) {
      const [plain, ecs] = pipelines.map((p) => p.process(item));
      assert.ok(plain?.ok && ecs?.ok);
      out.push({ eventId: ecs.value.event.raw.eventId, plain: plain.value.record.attributes, ecs: ecs.value.record.attributes });
    }
  }
  return out;
}

/** The keys ECS mode adds or changes. */
function ecsKeys(p: Pair): string[] {
  return Object.keys(p.ecs).filter((k) => !(k in p.plain) || JSON.stringify(p.plain[k]) !== JSON.stringify(p.ecs[k]));
}

function checkValue(key: string, value: AttributeValue, def: EcsFieldDefinition): void {
  const isArray = def.normalize.includes('array');
  if (isArray) assert.ok(Array.isArray(value), `${key} is an array in ECS`);
  const values: readonly unknown[] = Array.isArray(value) ? value : [value];
  for (const v of values) {
    switch (def.type) {
      case 'keyword':
      case 'constant_keyword':
        assert.equal(typeof v, 'string', `${key}: ${def.type} wants a string, got ${JSON.stringify(v)}`);
        break;
      case 'long':
        assert.ok(Number.isSafeInteger(v), `${key}: long wants an integer, got ${JSON.stringify(v)}`);
        break;
      case 'ip':
        assert.ok(typeof v === 'string' && isIP(v) !== 0, `${key}: ip wants an IP address, got ${JSON.stringify(v)}`);
        break;
      default:
        assert.fail(`${key}: ECS type ${def.type} not expected here`);
    }
    if (def.allowed_values !== undefined) {
      assert.ok(def.allowed_values.some((a) => a.name === v), `${key}: ${JSON.stringify(v)} is not an allowed value`);
    }
  }
}

describe('ECS attributes (telemetry.ecs)', () => {
  const all = records();
  const network = all.filter((p) => p.ecs['wfp.outcome'] !== undefined);

  it('adds nothing when off (the default)', () => {
    const config = parseConfig('', { file: '<test>', env: () => undefined });
    assert.equal(config.telemetry.ecs, false);
    for (const p of all) assert.equal(p.plain['event.code'], undefined);
  });

  it('uses only ECS field names, with the ECS type, array-ness and allowed values', () => {
    const seen = new Set<string>();
    for (const p of all) {
      for (const key of ecsKeys(p)) {
        const def = ECS[key];
        assert.ok(def !== undefined, `${key} (event ${p.eventId}) is not an ECS field`);
        checkValue(key, p.ecs[key]!, def);
      }
      for (const key of Object.keys(p.ecs)) if (ECS[key] !== undefined) seen.add(key);
    }
    // Every field the issue asks for appears on the bundled events.
    for (const key of [
      'event.code', 'event.action', 'event.category', 'event.type', 'event.outcome', 'event.module', 'event.dataset',
      'data_stream.dataset', 'network.direction', 'source.ip', 'source.port', 'destination.ip', 'destination.port',
      'network.transport', 'network.iana_number', 'process.pid', 'process.executable', 'process.name',
      'rule.name', 'rule.id', 'rule.ruleset', 'host.name',
    ]) {
      assert.ok(seen.has(key), `${key} never emitted`);
    }
  });

  it('keeps ECS-named attributes the record already had (host.name, process.pid, user.*) ECS-typed', () => {
    for (const p of all) {
      for (const key of Object.keys(p.ecs)) {
        const def = ECS[key];
        if (def !== undefined) checkValue(key, p.ecs[key]!, def);
      }
    }
  });

  it('gives event.type values the network/configuration category expects', () => {
    for (const p of all) {
      const categories = p.ecs['event.category'];
      if (categories === undefined) continue;
      assert.ok(Array.isArray(categories));
      const expected = new Set(
        categories.flatMap((c) => ECS['event.category']!.allowed_values!.find((a) => a.name === c)?.expected_event_types ?? []),
      );
      for (const t of p.ecs['event.type'] as readonly string[]) assert.ok(expected.has(t), `event ${p.eventId}: event.type ${t} not expected for ${categories.join(',')}`);
    }
  });

  it('marks every network block and drop as a denied connection that failed, in the windows.wfp dataset', () => {
    const blocks = network.filter((p) => p.ecs['wfp.outcome'] !== 'allowed');
    assert.ok(blocks.length > 20);
    for (const p of blocks) {
      assert.equal(p.ecs['event.code'], String(p.eventId));
      assert.equal(p.ecs['event.outcome'], 'failure');
      assert.deepEqual(p.ecs['event.category'], ['network']);
      assert.equal((p.ecs['event.type'] as readonly string[])[1], 'denied');
      assert.equal(p.ecs['data_stream.dataset'], ECS_DATASET);
      assert.equal(p.ecs['event.dataset'], ECS_DATASET);
      assert.equal(p.ecs['event.module'], 'windows');
      assert.equal(p.ecs['host.name'], p.plain['host.name']);
    }
    const c5157 = blocks.filter((p) => p.eventId === 5157);
    assert.ok(c5157.length > 0);
    for (const p of c5157) {
      assert.equal(p.ecs['event.action'], 'network-connection-blocked');
      assert.deepEqual(p.ecs['event.type'], ['connection', 'denied']);
    }
  });

  it('puts the initiator in source.*: the peer on inbound events, this host on outbound ones, whichever side convention the event used', () => {
    const resolutions = new Set<AttributeValue>();
    let inbound = 0;
    let outbound = 0;
    for (const p of network) {
      const local = { ip: p.ecs['network.local.address'], port: p.ecs['network.local.port'] };
      const peer = { ip: p.ecs['network.peer.address'], port: p.ecs['network.peer.port'] };
      if (p.ecs['wfp.direction'] === 'inbound') {
        inbound++;
        resolutions.add(p.ecs['wfp.sides.resolution']!);
        assert.equal(p.ecs['network.direction'], 'ingress');
        assert.deepEqual({ ip: p.ecs['source.ip'], port: p.ecs['source.port'] }, peer);
        assert.deepEqual({ ip: p.ecs['destination.ip'], port: p.ecs['destination.port'] }, local);
      } else if (p.ecs['wfp.direction'] === 'outbound') {
        outbound++;
        assert.equal(p.ecs['network.direction'], 'egress');
        assert.deepEqual({ ip: p.ecs['source.ip'], port: p.ecs['source.port'] }, local);
        assert.deepEqual({ ip: p.ecs['destination.ip'], port: p.ecs['destination.port'] }, peer);
      } else {
        // listen/bind: only this host's side.
        assert.equal(p.ecs['source.ip'], local.ip);
        assert.equal(p.ecs['destination.ip'], undefined);
      }
    }
    assert.ok(inbound > 10 && outbound > 10, `inbound ${inbound}, outbound ${outbound}`);
    // Both conventions: Source* logged as this host (older builds) and Dest* logged as this host (current ones).
    assert.ok(resolutions.has('known-address-source') && resolutions.has('known-address-dest'), [...resolutions].join(','));
  });

  it('carries the process and the transport as ECS names them', () => {
    let withProcess = 0;
    for (const p of network) {
      if (p.ecs['process.executable.path'] !== undefined) {
        withProcess++;
        assert.equal(p.ecs['process.executable'], p.ecs['process.executable.path']);
        assert.equal(p.ecs['process.name'], p.ecs['process.executable.name']);
      }
      const number = p.ecs['wfp.protocol.number'];
      if (number !== undefined) assert.equal(p.ecs['network.iana_number'], String(number));
      if (number === 1) assert.equal(p.ecs['network.transport'], 'icmp');
      if (number === 58) assert.equal(p.ecs['network.transport'], 'ipv6-icmp');
    }
    assert.ok(withProcess > 100);
  });

  it('names the rule: the firewall rule from the filter catalog, else the filter id', () => {
    const named = network.filter((p) => p.ecs['rule.name'] !== undefined);
    assert.ok(named.length > 0, 'no record attributed to a catalog filter');
    for (const p of named) {
      assert.equal(p.ecs['rule.id'], String(p.ecs['wfp.filter.id']));
      if (p.ecs['security_rule.name'] !== undefined) assert.equal(p.ecs['rule.name'], p.ecs['security_rule.name']);
      if (p.ecs['security_rule.ruleset.name'] !== undefined) assert.equal(p.ecs['rule.ruleset'], p.ecs['security_rule.ruleset.name']);
    }
    for (const p of network) {
      const id = p.ecs['wfp.filter.id'];
      if (id !== undefined && id !== 0) assert.equal(p.ecs['rule.id'], String(id));
    }
  });

  it('marks a 5447 filter add or delete as a configuration change with the filter as rule', () => {
    const changes = all.filter((p) => p.eventId === 5447);
    assert.ok(changes.length > 0);
    for (const p of changes) {
      const change = p.ecs['wfp.filter.change'];
      assert.equal(p.ecs['event.action'], change === 'add' ? 'wfp-filter-added' : 'wfp-filter-deleted');
      assert.deepEqual(p.ecs['event.type'], [change === 'add' ? 'creation' : 'deletion']);
      assert.equal(p.ecs['rule.id'], String(p.ecs['wfp.filter.id']));
    }
  });
});
