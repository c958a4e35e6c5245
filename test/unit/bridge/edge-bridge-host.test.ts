// The edge-js host's own logic with a stand-in edge module (the real edge-js runs in
// test/integration/bridge-dotnet.test.ts): loading errors, callback wrapping, protocol errors, results.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEdgeBridgeHost } from '../../../agent/bridge/index.ts';
import type { BridgeMessage, BridgeStartOptions } from '../../../agent/bridge/index.ts';

/** A package folder shaped like edge-js whose Startup.Invoke is played by `body` (JS source). */
function fakeEdge(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fake-edge-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"edge-js","main":"./lib/edge.cjs"}');
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib', 'edge.cjs'), `exports.func = (options) => { globalThis.__edgeOptions = options; return (payload, callback) => { ${body} }; };\n`);
  return dir;
}

const OPTIONS: BridgeStartOptions = {
  channel: 'Security',
  eventIds: [5157],
  start: { mode: 'beginning' },
  batchSize: 10,
  maxDelayMs: 100,
  queueBound: 100,
  resumeBelow: 25,
  backoffInitialMs: 100,
  backoffMaxMs: 1000,
  stopTimeoutMs: 1000,
};

describe('createEdgeBridgeHost', () => {
  it('says in one line when edge-js cannot be loaded', () => {
    const host = createEdgeBridgeHost({ edgeModule: '/nonexistent/edge-js' });
    assert.equal(host.ok, false);
    assert.match(host.ok ? '' : host.error, /^Cannot load edge-js from \/nonexistent\/edge-js \(Cannot find module '\/nonexistent\/edge-js\/package\.json'.*\); the live source needs the Windows package\.$/);
  });

  it('points edge-js at the assembly entry point', () => {
    const host = createEdgeBridgeHost({ edgeModule: fakeEdge('callback(null, { ok: true });'), assemblyFile: 'C:\\agent\\Bridge.dll' });
    assert.ok(host.ok);
    assert.deepEqual((globalThis as Record<string, unknown>)['__edgeOptions'], {
      assemblyFile: 'C:\\agent\\Bridge.dll',
      typeName: 'WfpBlockAgent.Bridge.Startup',
      methodName: 'Invoke',
    });
  });

  it('passes plain options, wraps onMessage as (payload, callback), and answers malformed messages without calling JS', async () => {
    const edge = fakeEdge(`
      if (payload.op !== 'start') return callback(null, { ok: true });
      globalThis.__payload = payload;
      payload.onMessage({ type: 'records', recordIds: [1, 2], xml: ['<Event/>'] }, (e1, a1) => {
        payload.onMessage({ type: 'records', recordIds: ['7'], xml: ['<Event>7</Event>'], newestRecordId: 9 }, (e2, a2) => {
          payload.onMessage({ type: 'status', state: 'error', detail: 'boom', resumeAfter: 7 }, (e3, a3) => {
            globalThis.__answers = [[e1, a1], [e2, a2], [e3, a3]];
            callback(null, { ok: true });
          });
        });
      });`);
    const protocolErrors: string[] = [];
    const host = createEdgeBridgeHost({ edgeModule: edge, onProtocolError: (e) => protocolErrors.push(e) });
    assert.ok(host.ok);
    const seen: BridgeMessage[] = [];
    const started = await host.value.start(OPTIONS, async (m) => {
      seen.push(m);
      if (m.type === 'status') throw new Error('JS failed\nsecond line');
      return { ok: true };
    });
    assert.deepEqual(started, { ok: true, value: undefined });
    const payload = (globalThis as Record<string, unknown>)['__payload'] as Record<string, unknown>;
    assert.equal(payload['op'], 'start');
    assert.deepEqual(payload['eventIds'], [5157]);
    assert.equal(payload['batchSize'], 10);
    assert.deepEqual(protocolErrors, ['Bridge message records: recordIds and xml must be arrays of one length.']);
    assert.deepEqual(seen.map((m) => m.type), ['records', 'status']);
    assert.deepEqual(seen[0], { type: 'records', recordIds: [7], xml: ['<Event>7</Event>'], newestRecordId: 9 });
    assert.deepEqual((globalThis as Record<string, unknown>)['__answers'], [
      [null, { ok: true }],
      [null, { ok: true }],
      ['JS failed', undefined],
    ]);
  });

  it('turns failures into results: an { ok: false } answer, an error callback, a throw', async () => {
    const answers = createEdgeBridgeHost({ edgeModule: fakeEdge(`callback(null, { ok: false, error: 'PlatformNotSupportedException: needs Windows.' });`) });
    assert.ok(answers.ok);
    assert.deepEqual(await answers.value.logInfo('Security'), { ok: false, error: 'PlatformNotSupportedException: needs Windows.' });
    const errors = createEdgeBridgeHost({ edgeModule: fakeEdge(`callback(new Error('CLR not found\\nat ...'));`) });
    assert.ok(errors.ok);
    assert.deepEqual(await errors.value.driveMap(), { ok: false, error: 'CLR not found' });
    const throws = createEdgeBridgeHost({ edgeModule: fakeEdge(`throw new TypeError('bad payload');`) });
    assert.ok(throws.ok);
    assert.deepEqual(await throws.value.start(OPTIONS, async () => ({ ok: true })), { ok: false, error: 'bad payload' });
    await throws.value.stop();
  });

  it('reads log information and drive maps from plain answers', async () => {
    const host = createEdgeBridgeHost({
      edgeModule: fakeEdge(`
        if (payload.op === 'logInfo') return callback(null, { ok: true, log: { oldestRecordId: 100, newestRecordId: 250, recordCount: 151, retention: 'overwrite', isFull: false } });
        callback(null, { ok: true, drives: { 'C:': '\\\\Device\\\\HarddiskVolume3', 'D:': 5 } });`),
    });
    assert.ok(host.ok);
    const log = await host.value.logInfo('Security');
    assert.ok(log.ok);
    assert.equal(log.value.oldestRecordId, 100);
    assert.equal(log.value.newestRecordId, 250);
    assert.equal(log.value.retention, 'overwrite');
    assert.deepEqual(await host.value.driveMap(), { ok: true, value: { 'C:': '\\Device\\HarddiskVolume3' } });
  });
});
