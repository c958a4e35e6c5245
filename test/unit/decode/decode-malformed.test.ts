// Hostile and broken input: every case ends in a located error (or a good record), never a crash or a hang.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEventXml, decodeItem, readInput, splitEvents } from '../../../agent/decode/index.ts';
import type { DecodeResult } from '../../../agent/decode/index.ts';

const EVENT = (data: string) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>5157</EventID><Computer>H</Computer></System><EventData>${data}</EventData></Event>`;

function decode(text: string): DecodeResult {
  return decodeEventXml(text, { file: 'bad.xml', position: 3 });
}

function reasonOf(text: string): string {
  const r = decode(text);
  return r.ok ? 'ok' : r.reason;
}

describe('malformed input', () => {
  it('truncated XML', () => {
    const r = decode(EVENT("<Data Name='A'>1</Data>").slice(0, 90));
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.reason, 'malformed-xml');
    assert.equal(r.ok ? 0 : r.position, 3);
    assert.equal(r.ok ? '' : r.file, 'bad.xml');
  });

  it('mismatched and stray end tags', () => {
    assert.equal(reasonOf(EVENT("<Data Name='A'>1</Datum>")), 'malformed-xml');
    assert.equal(reasonOf(`${EVENT('')}</Event>`), 'malformed-xml');
  });

  it('unquoted attributes, "<" in attribute values, unterminated comments', () => {
    assert.equal(reasonOf(EVENT('<Data Name=A>1</Data>')), 'malformed-xml');
    assert.equal(reasonOf(EVENT("<Data Name='A<'>1</Data>")), 'malformed-xml');
    assert.equal(reasonOf(EVENT('<!-- never closed')), 'malformed-xml');
  });

  it('unknown entities, bad character references', () => {
    assert.equal(reasonOf(EVENT("<Data Name='A'>&nbsp;</Data>")), 'malformed-xml');
    assert.equal(reasonOf(EVENT("<Data Name='A'>&#0;</Data>")), 'malformed-xml');
    assert.equal(reasonOf(EVENT("<Data Name='A'>&#xD800;</Data>")), 'malformed-xml');
    assert.equal(reasonOf(EVENT("<Data Name='A'>a & b</Data>")), 'malformed-xml');
  });

  it('a billion-laughs DTD is refused without expanding anything', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${EVENT("<Data Name='A'>&lol3;</Data>")}`;
    const started = process.hrtime.bigint();
    const results = splitEvents(lol, 'lol.xml').map(decodeItem);
    assert.ok(results.every((r) => !r.ok || r.value.data['A'] !== undefined));
    assert.ok(results.some((r) => !r.ok));
    // No expansion means microseconds; a generous bound that only an expansion would break.
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n);
    assert.equal(reasonOf(lol.slice(lol.indexOf('<!DOCTYPE'))), 'unsupported-input');
  });

  it('deep nesting is refused with a reason, not a stack overflow', () => {
    const deep = `<Event><System><EventID>1</EventID></System><UserData>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</UserData></Event>`;
    assert.equal(reasonOf(deep), 'too-deep');
    assert.ok(splitEvents(deep, 'f').length >= 1);
  });

  it('a 10 MB field decodes, intact', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const r = decode(EVENT(`<Data Name='Big'>${big}</Data>`));
    assert.ok(r.ok);
    assert.equal(r.value.data['Big']?.length, big.length);
  });

  it('binary garbage is a located error, not a crash', () => {
    const bytes = Buffer.alloc(65536);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    const text = readInput(bytes);
    assert.ok(text.ok);
    const results = splitEvents(text.text, 'noise.bin').map(decodeItem);
    assert.ok(results.length >= 1);
    assert.ok(results.every((r) => !r.ok && r.file === 'noise.bin'));
  });

  it('an event without EventID, and a root that is not <Event>', () => {
    assert.equal(reasonOf('<Event><System><Computer>H</Computer></System></Event>'), 'missing-field');
    assert.equal(reasonOf('<Events><Foo/></Events>'), 'not-an-event');
    assert.equal(reasonOf(''), 'not-an-event');
  });

  it('a bad JSON line among good ones costs only that line', () => {
    const good = '{"EventID":5157,"Hostname":"H"}';
    const results = splitEvents(`${good}\n{"EventID": 5157,,}\n${good}\n`, 'f.jsonl').map(decodeItem);
    assert.deepEqual(results.map((r) => (r.ok ? 'ok' : `${r.reason}@line${r.line}`)), ['ok', 'malformed-json@line2', 'ok']);
  });

  it('error lines are absolute in the file', () => {
    const good = EVENT('');
    const items = splitEvents(`${good}\n\n${good.replace('</System>', '</Sys>')}`, 'f.xml');
    const r = decodeItem(items[1]!);
    assert.equal(r.ok ? 0 : r.line, 3);
  });
});

describe('hostile keys', () => {
  it('a Data element named __proto__ cannot change the record prototype', () => {
    const r = decodeEventXml(EVENT("<Data Name='__proto__'>x</Data><Data Name='A'>1</Data>"), { file: 'f', position: 1 });
    assert.ok(r.ok);
    assert.equal(Object.getPrototypeOf(r.value.data), Object.prototype);
    assert.equal(r.value.data['_proto_'], 'x');
    assert.equal(r.value.data['A'], '1');
  });
});

describe('Data names', () => {
  it('decodes references in a Data name wherever the attribute stands, and reuses names across events', () => {
    const a = decodeEventXml(EVENT("<Data Name='A&amp;B' x='&lt;'>1</Data><Data x='&gt;' Name='C&#68;'>2</Data>"), { file: 'f', position: 1 });
    assert.ok(a.ok);
    assert.deepEqual({ ...a.value.data }, { 'A&B': '1', CD: '2' });
    const b = decodeEventXml(EVENT("<Data Name='Protocol'>6</Data><Data Name='Protocol2'>17</Data>"), { file: 'f', position: 2 });
    const c = decodeEventXml(EVENT("<Data Name='Protocol2'>17</Data><Data Name='Protocol'>6</Data>"), { file: 'f', position: 3 });
    assert.ok(b.ok && c.ok);
    assert.deepEqual({ ...b.value.data }, { Protocol: '6', Protocol2: '17' });
    assert.deepEqual({ ...c.value.data }, { Protocol2: '17', Protocol: '6' });
  });
});
