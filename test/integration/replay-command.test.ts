// `wfp-agent replay` exit codes and summary lines.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { replayCommand } from '../../agent/cli/commands/replay-command.ts';
import { protoUnavailable, startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import { captureIo, tempDir } from './cli-io.ts';
import type { TempDir } from './cli-io.ts';
import { FIXTURE_DIR } from './fixture-counts.ts';
import { needs } from '../helpers/test-dependency.ts';

const FILE = `${FIXTURE_DIR}ms-docs/event-5157.xml`;

describe('wfp-agent replay', { skip: needs('OTLP .proto files', protoUnavailable()) }, () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir();
  });
  after(() => dir.remove());

  it('exits 2 without FILE, and on a bad OTEL_* variable naming it', async () => {
    const io = captureIo();
    assert.equal(await replayCommand.run([], io), 2);
    assert.match(io.err(), /no FILE given/);
    const io2 = captureIo({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.equal(await replayCommand.run([FILE], io2), 2);
    assert.match(io2.err(), /OTEL_EXPORTER_OTLP_PROTOCOL: expected http\/protobuf or http\/json, found "grpc"/);
    // Every bad variable at once, so a fleet's config is mended in one round.
    const io3 = captureIo({ OTEL_RESOURCE_ATTRIBUTES: 'site=berlin,team', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.equal(await replayCommand.run([FILE], io3), 2);
    assert.match(io3.err(), /OTEL_RESOURCE_ATTRIBUTES: entry 2 \("team"\): expected key=value/);
    assert.match(io3.err(), /OTEL_EXPORTER_OTLP_PROTOCOL: expected/);
  });

  it('exits 1 and says why when the backend refuses, 0 when it accepts; env endpoints apply', async () => {
    let refuse = true;
    const receiver = await startOtlpReceiver({ answer: () => (refuse ? { status: 403, body: 'bad token' } : { status: 200 }) });
    try {
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20t0k' };
      const io = captureIo(env);
      assert.equal(await replayCommand.run([FILE], io), 1);
      assert.match(io.err(), /Log records: 1 emitted, 0 exported, 1 failed, 0 dropped/);
      assert.match(io.err(), /Export failed: .*HTTP 403 .*bad token/);
      assert.equal(receiver.requests[0]?.headers['authorization'], 'Bearer t0k');

      refuse = false;
      // The resource variables apply too; config (none here) would win key by key.
      const ok = captureIo({ ...env, OTEL_RESOURCE_ATTRIBUTES: 'site=berlin,team=net%20ops', OTEL_SERVICE_NAME: 'wfp-edge' });
      assert.equal(await replayCommand.run([FILE], ok), 0, ok.err());
      assert.match(ok.err(), /Log records: 1 emitted, 1 exported, 0 failed, 0 dropped/);
      assert.equal(receiver.logs.length, 1);
      assert.equal(receiver.logs[0]!.resource['site'], 'berlin');
      assert.equal(receiver.logs[0]!.resource['team'], 'net ops');
      assert.equal(receiver.logs[0]!.resource['service.name'], 'wfp-edge');
    } finally {
      await receiver.close();
    }
  });

  it('exits 1 for a bad record but still exports the good ones', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const bad = dir.write('bad.xml', '<Event><System><EventID>5157</EventID></System><EventData><Data Name="x">1</Data>');
      const io = captureIo({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      assert.equal(await replayCommand.run([FILE, bad], io), 1);
      assert.match(io.err(), /bad\.xml/);
      assert.match(io.err(), /1 exported, 0 failed/);
      assert.equal(receiver.logs.length, 1);
    } finally {
      await receiver.close();
    }
  });

  it('--filters attributes blocks to their rule: logged with security_rule.name, routine ones only counted', async () => {
    const line = (filterId: number) =>
      JSON.stringify({
        EventID: 5157, Hostname: 'WS1', SourceName: 'Microsoft-Windows-Security-Auditing', TimeCreated: '2023-08-15T05:33:55.325Z',
        Direction: '%%14592', SourceAddress: '10.0.0.9', SourcePort: '50000', DestAddress: '10.0.0.5', DestPort: '23', Protocol: '6',
        FilterRTID: String(filterId), LayerName: '%%14610', LayerRTID: '44', Application: '\\device\\harddiskvolume2\\windows\\system32\\tlntsvr.exe',
      });
    // 85081 is "Block Telnet" (a firewall rule), 78700 "Port Scanning Prevention Filter" in the synthetic snapshot.
    const events = dir.write('blocks.jsonl', `${line(85081)}\n${line(78700)}\n`);
    const receiver = await startOtlpReceiver();
    try {
      const io = captureIo({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
      const filters = `${FIXTURE_DIR}netsh-wfp/synthetic-filters.xml`;
      assert.equal(await replayCommand.run(['--filters', filters, events], io), 0, io.err());
      assert.match(io.err(), /1 logged, 1 counted only/);
      assert.equal(receiver.logs.length, 1);
      assert.equal(receiver.logs[0]?.attributes['security_rule.name'], 'Block Telnet');
      const last = receiver.pointBatches[receiver.pointBatches.length - 1] ?? [];
      const conn = last.filter((p) => p.metric === 'wfp.connection.blocks').map((p) => [p.attributes['wfp.block.kind'], p.attributes['security_rule.name'], p.value]);
      assert.deepEqual(conn.sort(), [['policy-rule', 'Block Telnet', 1], ['stealth', 'Port Scanning Prevention Filter', 1]]);
      const bad = captureIo();
      assert.equal(await replayCommand.run(['--filters', FILE, FILE], bad), 2);
      assert.match(bad.err(), /^wfp-agent replay: /);
    } finally {
      await receiver.close();
    }
  });
});
