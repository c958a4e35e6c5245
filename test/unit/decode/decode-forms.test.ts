// The input forms real tools write, each decoded to the same raw record.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEventXml, decodeItem, decodeJsonEvent, readInput, splitEvents } from '../../../agent/decode/index.ts';
import type { RawRecord } from '../../../agent/decode/index.ts';

// The Microsoft docs' 5157 sample as EventRecord.ToXml() renders it: one line, single quotes, 7 fraction digits.
const TO_XML_5157 =
  "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/><EventID>5157</EventID><Version>1</Version><Level>0</Level><Task>12810</Task><Opcode>0</Opcode><Keywords>0x8010000000000000</Keywords><TimeCreated SystemTime='2015-09-22T03:46:51.6627504Z'/><EventRecordID>304390</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='4520'/><Channel>Security</Channel><Computer>DC01.contoso.local</Computer><Security/></System><EventData><Data Name='ProcessID'>4556</Data><Data Name='Application'>\\device\\harddiskvolume2\\documents\\listener.exe</Data><Data Name='Direction'>%%14592</Data><Data Name='SourceAddress'>10.0.0.10</Data><Data Name='SourcePort'>3333</Data><Data Name='DestAddress'>10.0.0.100</Data><Data Name='DestPort'>49218</Data><Data Name='Protocol'>6</Data><Data Name='FilterRTID'>110398</Data><Data Name='LayerName'>%%14610</Data><Data Name='LayerRTID'>44</Data><Data Name='RemoteUserID'>S-1-0-0</Data><Data Name='RemoteMachineID'>S-1-0-0</Data></EventData></Event>";

function one(text: string): RawRecord {
  const r = decodeEventXml(text, { file: 't', position: 1 });
  if (!r.ok) assert.fail(`${r.reason}: ${r.detail}`);
  return r.value;
}

describe('decodeEventXml: forms', () => {
  it('reads the one-line, single-quoted ToXml form with 7-digit fractions', () => {
    const r = one(TO_XML_5157);
    assert.equal(r.eventId, 5157);
    assert.equal(r.version, 1);
    assert.equal(r.recordId, 304390);
    assert.equal(r.time, '2015-09-22T03:46:51.6627504Z');
    assert.equal(r.timeQuality, 'exact');
    assert.equal(r.keywords, '0x8010000000000000');
    assert.equal(r.provider, 'Microsoft-Windows-Security-Auditing');
    assert.equal(r.providerGuid, '{54849625-5478-4994-A5BA-3E3B0328C30D}');
    assert.equal(r.computer, 'DC01.contoso.local');
    assert.equal(r.channel, 'Security');
    assert.equal(r.executionProcessId, 4);
    assert.equal(r.executionThreadId, 4520);
    assert.equal(r.data['Application'], '\\device\\harddiskvolume2\\documents\\listener.exe');
    assert.equal(r.data['DestPort'], '49218');
    assert.equal(Object.keys(r.data).length, 13);
  });

  it('reads the same event without the default namespace and with a prefix', () => {
    const noNs = TO_XML_5157.replace(" xmlns='http://schemas.microsoft.com/win/2004/08/events/event'", '');
    assert.deepEqual(one(noNs).data, one(TO_XML_5157).data);
    const prefixed = TO_XML_5157.replace(/<(\/?)([A-Za-z])/g, '<$1e:$2').replace("<e:Event xmlns=", '<e:Event xmlns:e=');
    assert.equal(one(prefixed).eventId, 5157);
    assert.deepEqual(one(prefixed).data, one(TO_XML_5157).data);
  });

  it('keeps full precision of 9-digit fractions (evtxexport) and flags zone-less times', () => {
    assert.equal(one(TO_XML_5157.replace('.6627504Z', '.662750400Z')).time, '2015-09-22T03:46:51.662750400Z');
    const r = one(TO_XML_5157.replace("2015-09-22T03:46:51.6627504Z", '2015-09-22 03:46:51.662750'));
    assert.equal(r.time, '2015-09-22T03:46:51.662750Z');
    assert.equal(r.timeQuality, 'assumed-utc');
  });

  it('decodes entities and character references in text and attributes', () => {
    const t = TO_XML_5157.replace('>10.0.0.10<', '>a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;&#x1F600;<').replace(
      "Computer>DC01.contoso.local<",
      'Computer>DC01&#46;contoso&#x2E;local<',
    );
    const r = one(t.replace("Name='Microsoft-Windows-Security-Auditing'", "Name='Microsoft&#45;Windows-Security-Auditing'"));
    assert.equal(r.data['SourceAddress'], 'a&b <c> "d" \'e\' AB\u{1F600}');
    assert.equal(r.computer, 'DC01.contoso.local');
    assert.equal(r.provider, 'Microsoft-Windows-Security-Auditing');
  });

  it('accepts both quote styles, quotes of the other kind inside values, and ">" inside attribute values', () => {
    const t = TO_XML_5157.replace("<Data Name='Protocol'>", `<Data Name="Protocol" extra='a>"b'>`);
    assert.equal(one(t).data['Protocol'], '6');
  });

  it('reads self-closing empty Data elements as empty strings', () => {
    const t = TO_XML_5157.replace("<Data Name='RemoteUserID'>S-1-0-0</Data>", "<Data Name='RemoteUserID'/>");
    assert.equal(one(t).data['RemoteUserID'], '');
  });

  it('keeps CDATA text verbatim and ignores comments and processing instructions', () => {
    const t = TO_XML_5157.replace('>10.0.0.10<', '><![CDATA[1<2&3]]><!-- note --><?pi x?><').replace('<System>', '<!-- c --><System>');
    assert.equal(one(t).data['SourceAddress'], '1<2&3');
  });

  it('reads odd Data forms the same as the usual one (the fast path falls back to the general parser)', () => {
    const ev = (data: string) => `<Event><System><EventID>5157</EventID></System><EventData>${data}</EventData></Event>`;
    const cases: [string, Record<string, string>][] = [
      ['<Data Name="A">1</Data><Data Name="B">2</Data>', { A: '1', B: '2' }],
      ['<Data Name="A">x &amp; y &#x41;</Data>', { A: 'x & y A' }],
      ['<Data Name="A&amp;B">v</Data>', { 'A&B': 'v' }],
      ['<Data Name="A" >v</Data ><Data  Name="B">w</Data>', { A: 'v', B: 'w' }],
      ['<Data Name="A">a<!-- c -->b</Data>', { A: 'ab' }],
      ['<Data Name="A"><![CDATA[<x>]]></Data>', { A: '<x>' }],
      ['<Data Name="A"/><Data Name="B"></Data>', { A: '', B: '' }],
      ['<Data Name="__proto__">p</Data>', { _proto_: 'p' }],
      ['<Data>u</Data><Data Name="A">v</Data>', { param1: 'u', A: 'v' }],
    ];
    for (const [data, want] of cases) assert.deepEqual({ ...one(ev(data)).data }, want, data);
    const refused: [string, RegExp][] = [
      ['<Data Name="A">x &bogus; y</Data>', /unknown entity/],
      ['<Data Name="A<">v</Data>', /'<' inside an attribute value/],
      ['<Data Name="A">v</Dat>', /closes <Data>/],
      ['<Data Name="A">v', /<\/EventData> closes <Data>/],
    ];
    for (const [data, why] of refused) {
      const r = decodeEventXml(ev(data), { file: 't', position: 1 });
      assert.equal(r.ok, false, data);
      if (!r.ok) assert.match(r.detail, why, data);
    }
  });

  it('reads odd System forms the same as the usual one', () => {
    const ev = (sys: string) => `<Event><System>${sys}</System><EventData><Data Name="A">v</Data></EventData></Event>`;
    const read = (sys: string) => {
      const r = one(ev(sys));
      return { id: r.eventId, computer: r.computer, channel: r.channel };
    };
    const want = { id: 5157, computer: 'a&b', channel: 'Security' };
    assert.deepEqual(read('<EventID>5157</EventID><Computer>a&amp;b</Computer><Channel>Security</Channel>'), want);
    assert.deepEqual(read('<EventID >5157</EventID ><Computer>a&amp;b</Computer><Channel> Security </Channel>'), want);
    assert.deepEqual(read('<EventID Qualifiers="0">51&#53;7</EventID><Computer><![CDATA[a&b]]></Computer><Channel>Secu<!-- x -->rity</Channel>'), want);
    assert.deepEqual(read('<e:EventID xmlns:e="urn:x">5157</e:EventID><Computer>a&amp;b</Computer><Channel>Security</Channel>'), want);
    for (const [sys, why] of [
      ['<EventID>5157</EventIDx>', /closes <EventID>/],
      ['<EventID>51&x;57</EventID>', /unknown entity/],
      ['<EventID>5157', /closes <EventID>/],
    ] as const) {
      const r = decodeEventXml(ev(sys), { file: 't', position: 1 });
      assert.equal(r.ok, false, sys);
      if (!r.ok) assert.match(r.detail, why, sys);
    }
  });

  it('ignores RenderingInfo', () => {
    const t = TO_XML_5157.replace(
      '</Event>',
      "<RenderingInfo Culture='de-DE'><Message>Die Windows-Filterplattform hat eine Verbindung blockiert.</Message><Level>Informationen</Level><Task>Filterplattformverbindung</Task><Keywords><Keyword>Überwachung gescheitert</Keyword></Keywords></RenderingInfo></Event>",
    );
    const r = one(t);
    assert.equal(r.eventId, 5157);
    assert.equal(r.keywords, '0x8010000000000000');
    assert.equal(r.task, 12810);
  });

  it('reads UserData events (1102) by element name', () => {
    const t =
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Eventlog' Guid='{fc65ddd8-d6ef-4962-83d5-6e5cfe9ce148}'/><EventID>1102</EventID><Version>0</Version><Level>4</Level><Task>104</Task><Opcode>0</Opcode><Keywords>0x4020000000000000</Keywords><TimeCreated SystemTime='2019-02-13T18:01:41.5938300Z'/><EventRecordID>227693</EventRecordID><Correlation/><Execution ProcessID='820' ThreadID='608'/><Channel>Security</Channel><Computer>PC01.example.corp</Computer><Security/></System><UserData><LogFileCleared xmlns='http://manifests.microsoft.com/win/2004/08/windows/eventlog'><SubjectUserSid>S-1-5-21-1</SubjectUserSid><SubjectUserName>admin01</SubjectUserName><SubjectDomainName>EXAMPLE</SubjectDomainName><SubjectLogonId>0x00000000000af855</SubjectLogonId></LogFileCleared></UserData></Event>";
    const r = one(t);
    assert.equal(r.userDataName, 'LogFileCleared');
    assert.deepEqual({ ...r.data }, {
      SubjectUserSid: 'S-1-5-21-1',
      SubjectUserName: 'admin01',
      SubjectDomainName: 'EXAMPLE',
      SubjectLogonId: '0x00000000000af855',
    });
    assert.equal(r.providerGuid, '{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}');
  });
});

describe('splitEvents', () => {
  const ids = (text: string): (number | string)[] =>
    splitEvents(text, 'f').map((item) => {
      const r = decodeItem(item);
      return r.ok ? r.value.eventId : r.reason;
    });

  it('splits concatenated one-line events', () => {
    assert.deepEqual(ids(TO_XML_5157 + TO_XML_5157 + '\r\n' + TO_XML_5157), [5157, 5157, 5157]);
  });

  it('splits an <Events> wrapper with an XML declaration and a BOM', () => {
    const t = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n${TO_XML_5157}\n${TO_XML_5157}\n</Events>\n`;
    assert.deepEqual(ids(t), [5157, 5157]);
  });

  it('numbers records and gives the line each starts on', () => {
    const items = splitEvents(`<Events>\n${TO_XML_5157}\n\n${TO_XML_5157}</Events>`, 'f');
    assert.deepEqual(items.map((i) => [i.position, i.line]), [[1, 2], [2, 4]]);
  });

  it('keeps going after a truncated event, reporting it with its position', () => {
    const truncated = TO_XML_5157.slice(0, 400);
    const items = splitEvents(`${TO_XML_5157}\n${truncated}\n${TO_XML_5157}`, 'f');
    const results = items.map(decodeItem);
    assert.deepEqual(results.map((r) => (r.ok ? r.value.eventId : `${r.reason}@${r.position}`)), [5157, 'malformed-xml@2', 5157]);
  });

  it('reports stray text between events as a bad record and keeps the events', () => {
    assert.deepEqual(ids(`${TO_XML_5157}\nnot xml at all\n${TO_XML_5157}`), [5157, 'not-an-event', 5157]);
  });

  it('splits JSON lines, skipping blank lines, with line numbers', () => {
    const line = '{"EventID":5157,"Hostname":"H","SourceName":"Microsoft-Windows-Security-Auditing"}';
    const items = splitEvents(`${line}\r\n\r\n${line}\n`, 'f');
    assert.deepEqual(items.map((i) => [i.format, i.position, i.line]), [['json', 1, 1], ['json', 2, 3]]);
  });

  it('accepts a JSON array of events', () => {
    assert.deepEqual(ids('[{"EventID":5157},{"EventID":5152}]'), [5157, 5152]);
  });

  it('returns nothing for empty or blank input', () => {
    assert.deepEqual(splitEvents('', 'f'), []);
    assert.deepEqual(splitEvents(' \n\t', 'f'), []);
  });
});

describe('readInput', () => {
  it('reads UTF-16 LE with a BOM (PowerShell redirection)', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TO_XML_5157, 'utf16le')]);
    const r = readInput(bytes);
    assert.ok(r.ok);
    assert.equal(one(r.text).recordId, 304390);
  });

  it('reads UTF-8 with a BOM', () => {
    const r = readInput(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TO_XML_5157)]));
    assert.ok(r.ok);
    assert.equal(r.text, TO_XML_5157);
  });

  it('refuses a binary .evtx file with a conversion hint', () => {
    const r = readInput(Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), Buffer.alloc(4096, 7)]));
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.detail, /binary \.evtx file: export it as event XML first \(wevtutil qe/);
  });

  it('replaces invalid UTF-8 and says so, without failing', () => {
    const r = readInput(Buffer.concat([Buffer.from(TO_XML_5157.slice(0, 50)), Buffer.from([0xc3, 0x28]), Buffer.from(TO_XML_5157.slice(50))]));
    assert.ok(r.ok);
    assert.deepEqual(r.warnings, ['not valid UTF-8; invalid bytes were replaced with U+FFFD']);
  });
});

describe('decodeJsonEvent', () => {
  it('reads NXLog JSON with exact 64-bit keywords and the local EventTime converted to UTC', () => {
    // A verbatim line shape from the OTRF covenant dataset (5031), shortened to the fields that matter.
    const line =
      '{"Keywords":-9218868437227405312,"Application":"C:\\\\program files (x86)\\\\microsoft office\\\\root\\\\office16\\\\excel.exe","EventID":5031,"ProviderGuid":"{54849625-5478-4994-A5BA-3E3B0328C30D}","ExecutionProcessID":760,"Channel":"security","EventReceivedTime":"2020-09-18 15:00:27","ThreadID":6264,"EventTime":"2020-09-18 15:00:27","@timestamp":"2020-09-18T19:00:27.930Z","RecordNumber":475632,"Task":12810,"Profiles":"Domain","SourceName":"Microsoft-Windows-Security-Auditing","Version":0,"Hostname":"WORKSTATION6.theshire.local"}';
    const r = decodeJsonEvent(line, { file: 'f', position: 1 });
    assert.ok(r.ok);
    const v = r.value;
    assert.equal(v.keywords, '0x8010000000000000');
    assert.equal(v.time, '2020-09-18T19:00:27Z');
    assert.equal(v.timeQuality, 'derived');
    assert.equal(v.recordId, 475632);
    assert.equal(v.channel, 'Security');
    assert.equal(v.computer, 'WORKSTATION6.theshire.local');
    assert.deepEqual({ ...v.data }, { Application: 'C:\\program files (x86)\\microsoft office\\root\\office16\\excel.exe', Profiles: 'Domain' });
  });

  it('reads Winlogbeat-shaped JSON', () => {
    const line = JSON.stringify({
      '@timestamp': '2023-08-15T05:33:55.325Z',
      winlog: {
        event_id: '5157',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        record_id: 99,
        computer_name: 'ACCT01',
        channel: 'Security',
        event_data: { Direction: '%%14592', Protocol: '17' },
      },
    });
    const r = decodeJsonEvent(line, { file: 'f', position: 1 });
    assert.ok(r.ok);
    assert.equal(r.value.eventId, 5157);
    assert.equal(r.value.recordId, 99);
    assert.equal(r.value.data['Protocol'], '17');
    assert.equal(r.value.time, '2023-08-15T05:33:55.325Z');
  });

  it('names the problem for malformed JSON and JSON that is not an event', () => {
    const bad = decodeJsonEvent('{"EventID": 51', { file: 'f.jsonl', position: 7 });
    assert.equal(bad.ok, false);
    assert.equal(bad.ok ? '' : `${bad.file}:${bad.position}:${bad.reason}`, 'f.jsonl:7:malformed-json');
    const notEvent = decodeJsonEvent('{"hello":"world"}', { file: 'f', position: 1 });
    assert.equal(notEvent.ok ? '' : notEvent.reason, 'not-an-event');
    assert.equal(decodeJsonEvent('[1,2]', { file: 'f', position: 1 }).ok, false);
  });
});

describe('decodeJsonEvent: shipper times', () => {
  const base = { EventID: 5157, Hostname: 'H' };
  const time = (o: Record<string, unknown>) => {
    const r = decodeJsonEvent(JSON.stringify({ ...base, ...o }), { file: 'f', position: 1 });
    assert.ok(r.ok);
    return `${r.value.time} ${r.value.timeQuality}`;
  };

  it('derives UTC from the local EventTime and the receipt offset (half-hour zones too)', () => {
    assert.equal(time({ EventTime: '2020-09-18 14:59:58', EventReceivedTime: '2020-09-18 15:00:00', '@timestamp': '2020-09-18T19:00:00.711Z' }), '2020-09-18T18:59:58Z derived');
    assert.equal(time({ EventTime: '2020-09-18 14:59:58', EventReceivedTime: '2020-09-18 15:00:00', '@timestamp': '2020-09-18T09:30:00.2Z' }), '2020-09-18T09:29:58Z derived');
  });

  it('prefers an exact TimeCreated, and flags a zone-less one', () => {
    assert.equal(time({ TimeCreated: '2023-08-15T05:33:55.325Z', EventTime: '2020-01-01 00:00:00' }), '2023-08-15T05:33:55.325Z exact');
    assert.equal(time({ TimeCreated: '2020-10-21 12:19:01.088' }), '2020-10-21T12:19:01.088Z assumed-utc');
  });

  it('an impossible local time is not used', () => {
    assert.equal(time({ EventTime: '2020-13-45 99:00:00', EventReceivedTime: '2020-09-18 15:00:00', '@timestamp': '2020-09-18T19:00:00Z' }), ' missing');
  });
});
