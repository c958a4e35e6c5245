// `wfp-agent demo` (npm start): the bundled real events through the whole pipeline to the console and a
// Prometheus pull endpoint, with no backend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoCommand } from '../../agent/cli/commands/demo-command.ts';
import { captureIo } from './cli-io.ts';
import { expectedCounts, fixtureEvents } from './fixture-counts.ts';

const DEFAULT_COLLECT = new Set([5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102]);

describe('wfp-agent demo', () => {
  it('prints one console line per kept event, the metric series, and the pull endpoint serving the counters', async () => {
    let served = '';
    const io = captureIo();
    const demo = createDemoCommand({
      waitForStop: async () => {
        const url = /Serving (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(io.err())?.[1];
        assert.ok(url, io.err());
        served = await (await fetch(url)).text();
      },
    });
    assert.equal(await demo.run(['--serve'], io), 0, io.err());

    const kept = fixtureEvents().filter((e) => DEFAULT_COLLECT.has(e.id)).length;
    const logLines = io.out().split('\n').filter((l) => l.startsWith('log '));
    assert.equal(logLines.length, kept);
    assert.match(io.err(), new RegExp(`${kept} emitted, ${kept} exported, 0 failed, 0 dropped`));
    assert.ok(logLines.some((l) => l.includes(' WARN wfp.connection.blocked "Blocked inbound TCP connection of listener.exe')));

    // Console metric lines, printed once (not again at shutdown), add up to the independent counts.
    const total = new Map<string, number>();
    for (const m of io.out().matchAll(/^metric (wfp\.[a-z_.]+)\{.*\} (\d+)$/gm)) {
      const name = `${m[1]!.replace(/\./g, '_')}_total`;
      total.set(name, (total.get(name) ?? 0) + Number(m[2]));
    }
    assert.deepEqual([...total].sort(), [...expectedCounts().total].sort());

    // The served text format while --serve held the endpoint open.
    assert.match(served, /^# TYPE wfp_connection_blocks_total counter$/m);
    let conn = 0;
    for (const m of served.matchAll(/^wfp_connection_blocks_total\{.*\} (\d+)$/gm)) conn += Number(m[1]);
    assert.equal(conn, expectedCounts().total.get('wfp_connection_blocks_total'));
    assert.match(io.out(), /Prometheus pull endpoint http:\/\/127\.0\.0\.1:\d+\/metrics serves/);
  });

  it('rejects a bad --port with a usage error', async () => {
    const io = captureIo();
    assert.equal(await createDemoCommand().run(['--port', 'x'], io), 2);
    assert.match(io.err(), /--port: expected 0-65535/);
  });
});
