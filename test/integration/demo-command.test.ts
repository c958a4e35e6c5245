// `wfp-agent demo` (npm start): the bundled real events through the whole pipeline to the console and a
// Prometheus pull endpoint, with no backend.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDemoCommand } from '../../agent/cli/commands/demo-command.ts';
import { captureIo } from './cli-io.ts';
import { expectedCounts, fixtureEvents } from './fixture-counts.ts';

const DEFAULT_COLLECT = new Set([5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102]);

describe('wfp-agent demo', () => {
  it('--raw prints one console line per kept event, the metric series, and the pull endpoint serving the counters', async () => {
    let served = '';
    const io = captureIo();
    const demo = createDemoCommand({
      waitForStop: async () => {
        const url = /Serving (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(io.err())?.[1];
        assert.ok(url, io.err());
        served = await (await fetch(url)).text();
      },
    });
    assert.equal(await demo.run(['--serve', '--raw'], io), 0, io.err());

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

    // Every 4719 body names its subcategory, then the GUID (upper case) the fixture's SubcategoryGuid has.
    const fixtureGuids = fixtureEvents().filter((e) => e.id === 4719).map((e) => e.fields['SubcategoryGuid']!.toUpperCase()).sort();
    const bodies = logLines.filter((l) => l.includes(' windows.audit_policy.changed '));
    const named = bodies.map((l) => /changed for subcategory ([A-Z][A-Za-z /-]+) (\{[0-9A-F-]{36}\}):/.exec(l));
    assert.ok(named.every((m) => m !== null), bodies.find((_, i) => named[i] === null));
    assert.deepEqual(named.map((m) => m![2]).sort(), fixtureGuids);
    assert.ok(named.some((m) => m![1] === 'Filtering Platform Connection' && m![2] === '{0CCE9226-69AE-11D9-BED3-505054503030}'));
  });

  it('by default ends with a short summary whose figures match the fixtures, without the raw lines', async () => {
    const io = captureIo();
    assert.equal(await createDemoCommand().run([], io), 0, io.err());
    const out = io.out();
    assert.ok(!/^log /m.test(out) && !/^metric /m.test(out), 'raw lines only with --raw');
    assert.ok(out.split('\n').length < 80, `${out.split('\n').length} lines`);

    // Blocks by kind: the counts per event id, straight from the fixture files.
    const events = fixtureEvents();
    const count = (id: number) => events.filter((e) => e.id === id).length;
    for (const [id, label] of [[5157, 'connection blocked'], [5152, 'packet dropped'], [5155, 'listen blocked'], [5159, 'bind blocked'], [5031, 'application blocked']] as const) {
      assert.match(out, new RegExp(`^ +${count(id)}  ${label} \\(${id}`, 'm'), label);
    }
    const blocks = [5157, 5152, 5155, 5159, 5031].reduce((n, id) => n + count(id), 0);
    assert.match(out, new RegExp(`; ${blocks} of them are blocks\\.`));

    // Top applications: the block events' Application basenames, counted here independently.
    const apps = new Map<string, number>();
    for (const e of events) {
      if (![5157, 5152, 5155, 5159, 5031].includes(e.id)) continue;
      const name = (e.fields['Application'] ?? '').split(/\\+/).filter((p) => p !== '').pop();
      if (name !== undefined && name !== '-') apps.set(name, (apps.get(name) ?? 0) + 1);
    }
    const section = /Top applications[^\n]*\n((?: +\d+ {2}.+\n)+)/.exec(out)?.[1] ?? '';
    const printed = [...section.matchAll(/^ +(\d+) {2}(.+)$/gm)].map((m) => [m[2]!, Number(m[1])]);
    assert.ok(printed.length > 0, out);
    for (const [name, n] of printed) assert.equal(apps.get(name as string), n, String(name));
    const most = Math.max(...apps.values());
    assert.equal(printed[0]![1], most);

    // Three explained examples, each with what and why, and the OTLP line to set.
    assert.match(out, /Three examples explained:\n {2}1\. Blocked inbound TCP connection of listener\.exe/);
    assert.equal([...out.matchAll(/^ {5}what: /gm)].length, 3);
    assert.match(out, /why: {2}query-user-default: /);
    assert.match(out, /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/collector\.example:4318 /);
    assert.match(out, /Top peers \(network\.peer\.address\):\n +\d+ {2}\d+\.\d+\.\d+\.\d+/);
    const queryUser = events.filter((e) => e.fields['FilterOrigin'] === 'Query User Default').length;
    assert.ok(queryUser > 0);
    assert.match(out, new RegExp(`Top rules and filters:\\n +${queryUser} {2}firewall origin 'Query User Default'`));
    assert.match(out, /serves the counters \(series per metric\): wfp_connection_blocks_total \(\d+\)/);
  });

  it('rejects a bad --port with a usage error', async () => {
    const io = captureIo();
    assert.equal(await createDemoCommand().run(['--port', 'x'], io), 2);
    assert.match(io.err(), /--port: expected 0-65535/);
  });
});
