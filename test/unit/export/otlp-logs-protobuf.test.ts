// Our OTLP logs encoder against the SDK's: both requests decoded with the official .proto files must be equal,
// for the bundled real events and for the edges of the wire format (multi-byte UTF-8, long strings whose length
// prefix needs 2–3 bytes, negative and 64-bit integers, doubles, several resources and scopes).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { EventLogRecord } from '../../../agent/export/index.ts';
import { encodeLogsRequest } from '../../../agent/export/otlp-logs-protobuf.ts';
import { loadEnricher } from '../../../agent/enrich/index.ts';
import { parseConfig } from '../../../agent/config/index.ts';
import { createFilePipeline } from '../../../agent/cli/file-input.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import type { TelemetryRecord } from '../../../agent/telemetry/index.ts';
import { msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';
import { protoDecoders, protoUnavailable } from '../../helpers/otlp-receiver.ts';

const skip = protoUnavailable();
const RESOURCE = resourceFromAttributes({ 'service.name': 'wfp-block-agent', 'host.name': 'tést-hôst', 'process.pid': 4242 });
const SCOPE = { name: 'wfp-block-agent', version: '0.1.0' };

function decode(bytes: Uint8Array): unknown {
  const type = protoDecoders().logs;
  return type.toObject(type.decode(bytes), { longs: String, enums: Number, bytes: String, defaults: false });
}

function sdkBytes(records: ReadableLogRecord[]): Uint8Array {
  const b = ProtobufLogsSerializer.serializeRequest(records);
  assert.ok(b !== undefined);
  return b;
}

function fixtureRecords(yaml = 'events: {include_allowed: true}\n'): EventLogRecord[] {
  const config = parseConfig(yaml, { file: '<test>', env: () => undefined });
  const enricher = loadEnricher({ config });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  const out: EventLogRecord[] = [];
  for (const file of [...msDocsFiles(), ...otrfFiles()]) {
    for (const item of loadReplayFile(file).items) {
      const r = pipeline.process(item);
      if (r.ok) out.push(new EventLogRecord(r.value.record, RESOURCE, SCOPE, [1_700_000_000, 123_456_789]));
    }
  }
  return out;
}

function record(attributes: TelemetryRecord['attributes'], body = 'b', timestamp = '2024-05-06T07:08:09.1234567Z'): TelemetryRecord {
  return { eventName: 'wfp.test', timestamp, severityNumber: 13, severityText: 'WARN', body, attributes };
}

describe('encodeLogsRequest', { skip: skip ?? false }, () => {
  it('encodes every bundled real event exactly as the SDK does', () => {
    const records = fixtureRecords();
    assert.ok(records.length > 1000);
    const ours = encodeLogsRequest(records);
    assert.ok(ours !== null);
    assert.deepEqual(decode(ours), decode(sdkBytes(records)));
  });

  it('encodes the ECS lists (event.category, event.type: telemetry.ecs) exactly as the SDK does', () => {
    const records = fixtureRecords('events: {include_allowed: true}\ntelemetry: {ecs: true}\n');
    assert.ok(records.some((r) => Array.isArray(r.attributes['event.type']) && r.attributes['event.type'].length === 2));
    const ours = encodeLogsRequest(records);
    assert.ok(ours !== null);
    assert.deepEqual(decode(ours), decode(sdkBytes(records)));
    const edge = [new EventLogRecord(record({ empty: [], one: ['é'.repeat(100)], many: Array.from({ length: 40 }, (_, i) => `v${i}`) }), RESOURCE, SCOPE, [1, 0])];
    assert.deepEqual(decode(encodeLogsRequest(edge)!), decode(sdkBytes(edge)));
  });

  it('matches the SDK at the edges of the wire format', () => {
    const long = 'x'.repeat(200);
    const longer = 'é'.repeat(9000); // 18,000 UTF-8 bytes: a 3-byte length prefix where 2 were guessed
    const other = resourceFromAttributes({ 'service.name': 'other' });
    const scope2 = { name: 'audit', version: '' };
    const records = [
      new EventLogRecord(record({ a: 'ascii', b: 'ünïcödé ✓ 𝄞', c: '', d: long, e: longer }), RESOURCE, SCOPE, [1, 0]),
      new EventLogRecord(record({ n0: 0, n1: 127, n2: 128, n3: 2 ** 32 + 5, n4: Number.MAX_SAFE_INTEGER, neg: -1, neg2: -(2 ** 40) }), RESOURCE, SCOPE, [2, 5]),
      new EventLogRecord(record({ d1: 1.5, d2: -0.25, d3: 1e300, t: true, f: false }, long + longer, ''), other, SCOPE, [3, 999_999_999]),
      new EventLogRecord(record({ k: 'v' }, ''), RESOURCE, scope2, [4_000_000_000, 1]),
    ];
    const ours = encodeLogsRequest(records);
    assert.ok(ours !== null);
    assert.deepEqual(decode(ours), decode(sdkBytes(records)));
  });

  it('leaves records it does not cover (arrays, maps, trace context) to the SDK serializer', () => {
    const r = new EventLogRecord(record({ a: 'x' }), RESOURCE, SCOPE, [1, 0]);
    r.setAttribute('list', ['a', 'b']);
    assert.equal(encodeLogsRequest([r]), null);
    const m = new EventLogRecord(record({ a: 'x' }), RESOURCE, SCOPE, [1, 0]);
    m.setBody({ nested: 1 });
    assert.equal(encodeLogsRequest([m]), null);
  });

  it('copies the shared attributes on the first change instead of altering the record they came from', () => {
    const attrs = { a: 'x' };
    const r = new EventLogRecord(record(attrs), RESOURCE, SCOPE, [1, 0]);
    r.setAttribute('b', 'y');
    assert.deepEqual(attrs, { a: 'x' });
    assert.deepEqual(r.attributes, { a: 'x', b: 'y' });
  });
});
