import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../agent/cli/main.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { captureIo } from '../../helpers/capture-io.ts';

describe('wfp-agent explain', () => {
  it('prints NDJSON, one object per exported event, with the contract fields', async () => {
    const io = captureIo();
    const code = await main(['explain', '--json', fixture('ms-docs/event-5157.xml'), fixture('ms-docs/event-5031.xml')], io);
    assert.equal(code, 0);
    const lines = io.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l['eventName']), ['wfp.connection.blocked', 'wfp.firewall.app_blocked']);
    for (const l of lines) assert.deepEqual(Object.keys(l).sort(), ['attributes', 'body', 'disposition', 'eventName', 'severity', 'severityNumber', 'timestamp']);
    assert.match(io.err(), /^2 records: 2 good, 0 bad; 2 logged/);
  });

  it('prints a readable block by default', async () => {
    const io = captureIo();
    assert.equal(await main(['explain', fixture('ms-docs/event-5157.xml')], io), 0);
    assert.match(io.out(), /wfp\.connection\.blocked {2}WARN {2}2015-09-22T03:46:51\.662750400Z/);
    assert.match(io.out(), /Blocked inbound TCP connection of listener\.exe on 10\.0\.0\.10:3333 from 10\.0\.0\.100:49218/);
    assert.match(io.out(), /network\.peer\.port +49218/);
  });

  it('hides events the config does not collect unless --all, and says so', async () => {
    const io = captureIo();
    assert.equal(await main(['explain', '--json', fixture('ms-docs/event-5156.xml')], io), 0);
    assert.equal(io.out(), '');
    assert.match(io.err(), /1 not collected by this config \(--all shows them\)/);
    const all = captureIo();
    await main(['explain', '--json', '--all', fixture('ms-docs/event-5156.xml')], all);
    assert.equal((JSON.parse(all.out()) as { disposition: string }).disposition, 'not-collected');
  });

  it('reports bad records on stderr, keeps the good ones, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-explain-'));
    const good = '{"EventID":5157,"Hostname":"H","Direction":"%%14593","SourceAddress":"10.0.0.1","SourcePort":"50000","DestAddress":"10.0.0.2","DestPort":"443","Protocol":"6"}';
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, `${good}\n{broken\n${good}\n`);
    const io = captureIo();
    assert.equal(await main(['explain', '--json', file], io), 1);
    assert.equal(io.out().trim().split('\n').length, 2);
    assert.match(io.err(), new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: record 2 \\(line 2\\): malformed-json: `));
    assert.match(io.err(), /3 records: 2 good, 1 bad/);
  });

  it('reports an unreadable file and a binary .evtx in one line each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-explain-'));
    const evtx = join(dir, 'Security.evtx');
    writeFileSync(evtx, Buffer.concat([Buffer.from('ElfFile\0', 'latin1'), Buffer.alloc(100)]));
    const io = captureIo();
    assert.equal(await main(['explain', evtx, join(dir, 'missing.xml')], io), 1);
    assert.match(io.err(), /Security\.evtx: binary \.evtx file: export it as event XML first/);
    assert.match(io.err(), /missing\.xml: cannot read the file \(no such file\)/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['explain'], ['explain', '--bogus', 'f'], ['explain', '--config', '/nonexistent.yaml', 'f']]) {
      const io = captureIo();
      assert.equal(await main(args, io), 2, args.join(' '));
      assert.equal(io.err().trim().split('\n').length, 1);
    }
  });
});

describe('wfp-agent explain --filters', () => {
  const line = (filterId: number) =>
    JSON.stringify({
      EventID: 5157,
      Hostname: 'WS1',
      SourceName: 'Microsoft-Windows-Security-Auditing',
      TimeCreated: '2023-08-15T05:33:55.325Z',
      Direction: '%%14592',
      SourceAddress: '10.0.0.9',
      SourcePort: '50000',
      DestAddress: '10.0.0.5',
      DestPort: '23',
      Protocol: '6',
      FilterRTID: String(filterId),
      LayerName: '%%14610',
      LayerRTID: '44',
      Application: '\\device\\harddiskvolume2\\windows\\system32\\tlntsvr.exe',
    });

  it('names the firewall rule and the block kind, and counts routine blocks without logging them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-explain-'));
    const file = join(dir, 'blocks.jsonl');
    // 85081 is "Block Telnet" (a firewall rule), 78700 "Port Scanning Prevention Filter" in the synthetic snapshot.
    writeFileSync(file, `${line(85081)}\n${line(78700)}\n`);
    const io = captureIo();
    assert.equal(await main(['explain', '--json', '--all', '--filters', fixture('netsh-wfp/synthetic-filters.xml'), file], io), 0);
    const [rule, stealth] = io.out().trim().split('\n').map((l) => JSON.parse(l) as { severity: string; disposition: string; attributes: Record<string, unknown> });
    assert.equal(rule?.attributes['wfp.filter.name'], 'Block Telnet');
    assert.equal(rule?.attributes['security_rule.name'], 'Block Telnet');
    assert.equal(rule?.attributes['wfp.block.kind'], 'policy-rule');
    assert.equal(rule?.severity, 'WARN');
    assert.equal(rule?.disposition, 'logged');
    assert.equal(stealth?.attributes['wfp.block.kind'], 'stealth');
    assert.equal(stealth?.severity, 'INFO');
    assert.equal(stealth?.disposition, 'counted');
  });

  it('rejects a filters file that is not a snapshot in one line', async () => {
    const io = captureIo();
    assert.equal(await main(['explain', '--filters', fixture('ms-docs/event-5157.xml'), fixture('ms-docs/event-5157.xml')], io), 2);
    assert.equal(io.err().trim().split('\n').length, 1);
    assert.match(io.err(), /^wfp-agent explain: /);
  });
});
