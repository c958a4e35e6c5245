// The agent's status: the tracker the run command feeds, the writer of status.json, the verdict, the service
// state from recorded `sc query` output, and `wfp-agent status` end to end on a written file.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../agent/config/index.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { createEventPipeline } from '../../../agent/pipeline/index.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { nodeCheckpointFs } from '../../../agent/checkpoint/index.ts';
import type { CommandRunner } from '../../../agent/audit/index.ts';
import { createStatusCommand } from '../../../agent/cli/commands/status-command.ts';
import { assessStatus, createStatusTracker, createStatusWriter, parseScQuery, parseStatusDocument } from '../../../agent/status/index.ts';
import type { AgentStatusDocument, ServiceState } from '../../../agent/status/index.ts';
import type { CheckReport } from '../../../agent/audit/index.ts';
import { redactWith } from '../../../agent/shared/index.ts';
import type { Timers } from '../../../agent/shared/index.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { OUTAGE, REJECTED, createInMemorySink } from '../../helpers/in-memory-sink.ts';

const dir = mkdtempSync(join(tmpdir(), 'wfp-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sc = (name: string) => readFileSync(fixture('windows-commands', name), 'utf8');
const T0 = Date.parse('2026-12-01T10:00:00Z');
const RUNNING: ServiceState = { kind: 'state', state: 'RUNNING', code: 4 };

/** The ms-docs 5157 (2015-09-22T03:46:51.66Z, record 304390) through the real pipeline. */
function outcome5157() {
  const item = loadReplayFile(fixture('ms-docs', 'event-5157.xml')).items[0]!;
  return createEventPipeline(loadConfig(undefined), { enricher: createBasicEnricher() }).process(item);
}

function manualTimers(): Timers & { tick(): void; active: number } {
  const fns = new Map<number, () => void>();
  let next = 1;
  return {
    setInterval: (fn) => (fns.set(next, fn), next++),
    clearInterval: (h) => void fns.delete(h as number),
    tick: () => fns.forEach((fn) => fn()),
    get active() {
      return fns.size;
    },
  };
}

/** A fresh agent's document (started and written at T0), with `overrides`. */
function doc(overrides: Partial<AgentStatusDocument> = {}): AgentStatusDocument {
  const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'C:\\ProgramData\\wfp-block-agent\\agent.yaml', writeIntervalS: 30, now: () => T0 });
  return { ...tracker.document(), ...overrides };
}

describe('status tracker', () => {
  it('notes flushes (success, the backend answer of a failure, recovery), lag and records behind', async () => {
    let now = T0;
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'agent.yaml', writeIntervalS: 30, now: () => now });
    let changes = 0;
    tracker.onChange(() => changes++);
    const inner = createInMemorySink();
    const sink = tracker.observeSink(inner);
    const processed = outcome5157();
    assert.ok(processed.ok);
    tracker.sourceEvent({ kind: 'newest-record', recordId: 304400 });
    tracker.processed(processed);
    sink.emit(processed.value.event, processed.value.enrichment, processed.value.record);

    inner.failNext(1, OUTAGE);
    now = T0 + 1000;
    assert.equal((await sink.flush()).ok, false);
    let d = tracker.document();
    assert.equal(d.export.failing_since, '2026-12-01T10:00:01.000Z');
    assert.equal(d.export.last_error, 'connect ECONNREFUSED 127.0.0.1:4318');
    assert.equal(d.export.last_success_at, null);
    assert.equal(changes, 1, 'the switch to failing is a change');

    now = T0 + 5000;
    assert.equal((await sink.flush()).ok, true);
    d = tracker.document();
    assert.equal(d.export.failing_since, null);
    assert.equal(d.export.last_success_at, '2026-12-01T10:00:05.000Z');
    assert.equal(d.export.last_failure_at, '2026-12-01T10:00:01.000Z', 'the last failure stays visible');
    assert.equal(d.export.events_acknowledged, 1);
    assert.equal(changes, 2, 'recovery is a change');
    // The event happened 2015-09-22T03:46:51.66Z; it left the agent at T0+5 s.
    assert.equal(d.lag.seconds, Math.round((T0 + 5000 - Date.parse('2015-09-22T03:46:51.6627504Z')) / 1000));
    assert.equal(d.lag.records_behind, 10);
    assert.equal(inner.exported.length, 1, 'the sink underneath got the event');
  });

  it('counts a batch the backend refused for good as dropped, and keeps the last few losses', async () => {
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'agent.yaml', writeIntervalS: 30, now: () => T0 });
    const inner = createInMemorySink();
    const sink = tracker.observeSink(inner);
    const processed = outcome5157();
    tracker.processed(processed);
    tracker.processed(processed);
    inner.failNext(1, REJECTED);
    await sink.flush();
    assert.equal(tracker.document().export.events_dropped, 2);
    assert.equal(tracker.document().export.last_error, 'HTTP 400 Bad Request');
    for (let i = 0; i < 7; i++) tracker.sourceEvent({ kind: 'possible-loss', reason: 'overwritten', possiblyLost: i, detail: `gap ${i}` });
    tracker.sourceEvent({ kind: 'log-cleared', recordId: 99 });
    const loss = tracker.document().loss;
    assert.equal(loss.length, 5);
    assert.deepEqual(loss.map((l) => l.possibly_lost), [3, 4, 5, 6, null]);
    assert.equal(loss[4]!.reason, 'cleared');
  });

  it('takes drift and errors from audit reports (after a change, the state read back)', () => {
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'agent.yaml', writeIntervalS: 30, now: () => T0 });
    let changes = 0;
    tracker.onChange(() => changes++);
    const sub = { name: 'Filtering Platform Connection', guid: '{0CCE9226-69AE-11D9-BED3-505054503030}', category: 'Object Access' };
    const row = (state: 'in-sync' | 'drift') => ({ subcategory: sub, desired: { success: null, failure: true }, current: null, target: null, state });
    const report: CheckReport = { reason: 'interval', mode: 'verify', rows: [row('drift')], after: null, changes: [], gpo: null, refused: null, securityLog: null, errors: [] };
    tracker.auditReport(report);
    assert.deepEqual(tracker.document().audit?.drift, ['Filtering Platform Connection {0CCE9226-69AE-11D9-BED3-505054503030}: drift']);
    tracker.auditReport(report);
    assert.equal(changes, 1, 'the same drift again is no change');
    tracker.auditReport({ ...report, mode: 'enforce', after: [row('in-sync')] });
    assert.deepEqual(tracker.document().audit?.drift, []);
    assert.equal(changes, 2);
  });
});

describe('status writer', () => {
  it('writes atomically at start, on the timer, at once on a change, and marks the stop', async () => {
    const timers = manualTimers();
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'agent.yaml', writeIntervalS: 30 });
    const path = join(dir, 'writer', 'status.json');
    const writes: string[] = [];
    const writer = createStatusWriter({
      tracker,
      path,
      intervalMs: 30_000,
      redact: (t) => t,
      timers,
      writeAtomic: async (p, text) => {
        writes.push(text);
        await nodeCheckpointFs.writeAtomic(p, text);
      },
    });
    await writer.start();
    assert.equal(writes.length, 1);
    assert.ok(parseStatusDocument(readFileSync(path, 'utf8')).ok);
    timers.tick();
    await writer.write();
    assert.equal(writes.length, 3);
    tracker.sourceEvent({ kind: 'possible-loss', reason: 'cleared', possiblyLost: null, detail: 'cleared' });
    await writer.write();
    assert.equal(JSON.parse(writes[3]!).loss.length, 1, 'the change was written without waiting for the timer');
    await writer.stop();
    assert.equal(timers.active, 0);
    const last = JSON.parse(readFileSync(path, 'utf8')) as AgentStatusDocument;
    assert.ok(last.stopped_at !== null);
  });

  it('passes every string of the document through redact: an export error echoing the token is written without it', async () => {
    const token = 'tok-SECRET-7f31aa';
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: `/etc/${token}.yaml`, writeIntervalS: 30 });
    const inner = createInMemorySink();
    inner.failNext(1, { ok: false, retryable: true, error: `HTTP 401 Unauthorized: you sent {"authorization":"Bearer ${token}"}` });
    await tracker.observeSink(inner).flush();
    const writes: string[] = [];
    const writer = createStatusWriter({
      tracker,
      path: join(dir, 'redacted', 'status.json'),
      intervalMs: 30_000,
      redact: (t) => redactWith(t, [token]),
      timers: manualTimers(),
      writeAtomic: async (_p, text) => void writes.push(text),
    });
    await writer.stop();
    assert.equal(writes.length, 1);
    assert.ok(!writes[0]!.includes(token), writes[0]);
    const doc = JSON.parse(writes[0]!) as AgentStatusDocument;
    assert.equal(doc.export.last_error, 'HTTP 401 Unauthorized: you sent {"authorization":"Bearer <redacted>"}');
    assert.equal(doc.config.file, '/etc/<redacted>.yaml');
    assert.ok(parseStatusDocument(writes[0]!).ok, 'still a valid status document');
  });

  it('reports a failed write once and keeps going', async () => {
    const lines: string[] = [];
    const tracker = createStatusTracker({ version: '0.1.0', pid: 7, configFile: 'agent.yaml', writeIntervalS: 30 });
    const writer = createStatusWriter({
      tracker,
      path: 'Z:\\nowhere\\status.json',
      intervalMs: 30_000,
      redact: (t) => t,
      timers: manualTimers(),
      writeAtomic: async () => {
        throw new Error('EACCES: permission denied');
      },
      onError: (l) => lines.push(l),
    });
    await writer.start();
    await writer.write();
    await writer.stop();
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^Writing Z:\\nowhere\\status\.json failed; .*EACCES/);
  });
});

describe('service state from sc query (recorded English and German output)', () => {
  it('reads the state number and word, whatever the labels', () => {
    assert.deepEqual(parseScQuery(0, sc('sc-query-running.en-US.txt')), { kind: 'state', state: 'RUNNING', code: 4 });
    assert.deepEqual(parseScQuery(0, sc('sc-query-stopped.de-DE.txt')), { kind: 'state', state: 'STOPPED', code: 1 });
    assert.deepEqual(parseScQuery(1060, sc('sc-query-missing.en-US.txt')), { kind: 'not-installed' });
    assert.deepEqual(parseScQuery(1060, sc('sc-query-missing.de-DE.txt')), { kind: 'not-installed' });
    assert.deepEqual(parseScQuery(5, '[SC] OpenService FAILED 5:\r\n\r\nAccess is denied.\r\n'), { kind: 'unknown', detail: 'sc query exited 5: [SC] OpenService FAILED 5:' });
  });
});

describe('status verdict', () => {
  const now = T0 + 60_000;
  it('healthy: running, fresh, exports fine', () => {
    assert.deepEqual(assessStatus(doc({ updated_at: '2026-12-01T10:00:50Z' }), RUNNING, now), { health: 'healthy', reasons: [] });
  });
  it('failing: service stopped or missing, no file, stale file, stopped agent, exports failing over 15 min', () => {
    const fresh = doc({ updated_at: '2026-12-01T10:00:50Z' });
    const cases: [AgentStatusDocument | null, ServiceState, RegExp][] = [
      [fresh, { kind: 'state', state: 'STOPPED', code: 1 }, /service wfp-block-agent is STOPPED/],
      [fresh, { kind: 'not-installed' }, /not installed/],
      [null, RUNNING, /No agent status/],
      [doc({ updated_at: '2026-12-01T09:50:00Z' }), RUNNING, /has not updated its status since 2026-12-01T09:50:00Z/],
      [doc({ updated_at: '2026-12-01T10:00:50Z', stopped_at: '2026-12-01T10:00:50Z' }), RUNNING, /stopped at/],
      [
        doc({ updated_at: '2026-12-01T10:00:50Z', export: { ...fresh.export, failing_since: '2026-12-01T09:40:00Z', last_error: 'HTTP 503 Service Unavailable' } }),
        RUNNING,
        /Exports failing since 2026-12-01T09:40:00Z \(last success never\)\. Last answer: HTTP 503 Service Unavailable/,
      ],
    ];
    for (const [d, s, why] of cases) {
      const a = assessStatus(d, s, now);
      assert.equal(a.health, 'failing', String(why));
      assert.match(a.reasons[0]!, why);
    }
  });
  it('degraded: short export failure, recent loss, lag, drift, old or missing filter catalog, drops', () => {
    const fresh = doc({ updated_at: '2026-12-01T10:00:50Z' });
    const cases: [Partial<AgentStatusDocument>, RegExp][] = [
      [{ export: { ...fresh.export, failing_since: '2026-12-01T09:58:00Z', last_error: 'HTTP 429' } }, /Exports failing since/],
      [{ export: { ...fresh.export, events_dropped: 3 } }, /3 events were dropped/],
      [{ loss: [{ at: '2026-12-01T08:00:00Z', reason: 'overwritten', possibly_lost: 120, detail: 'records 5-124 overwritten' }] }, /Possible loss \(overwritten, up to 120 records\)/],
      [{ lag: { seconds: 900, records_behind: 4000 } }, /Lag: events leave the agent 900 s/],
      [{ audit: { mode: 'verify', checked_at: '2026-12-01T10:00:00Z', drift: ['Filtering Platform Connection {0CCE9226-69AE-11D9-BED3-505054503030}: drift'], gpo_managed: false, errors: [] } }, /Audit policy drift \(verify\)/],
      [{ filters: { snapshot_at: '2026-11-30T10:00:00Z', source: 'netsh', filters: 300, refresh_interval_s: 3600 } }, /Filter catalog from 2026-11-30T10:00:00\.000Z|Filter catalog from 2026-11-30T10:00:00Z/],
      [{ filters: { snapshot_at: null, source: null, filters: 0, refresh_interval_s: 3600 } }, /No filter snapshot yet/],
    ];
    for (const [o, why] of cases) {
      const a = assessStatus({ ...fresh, ...o }, RUNNING, now);
      assert.equal(a.health, 'degraded', String(why));
      assert.match(a.reasons.join('\n'), why);
    }
    // A loss older than a day no longer counts.
    assert.equal(assessStatus({ ...fresh, loss: [{ at: '2026-11-29T08:00:00Z', reason: 'cleared', possibly_lost: null, detail: 'x' }] }, RUNNING, now).health, 'healthy');
  });
});

describe('wfp-agent status', () => {
  const runnerFor = (file: string, code: number): CommandRunner & { calls: string[][] } => {
    const calls: string[][] = [];
    return {
      calls,
      run: async (exe, args) => {
        calls.push([exe, ...args]);
        return { code, stdout: sc(file), stderr: '', timedOut: false };
      },
    };
  };

  it('exit 0 and a readable report when the service runs and the agent is fine', async () => {
    const d = doc({ updated_at: '2026-12-01T10:00:50Z', export: { ...doc().export, last_success_at: '2026-12-01T10:00:40Z' } });
    const path = join(dir, 'ok');
    await nodeCheckpointFs.writeAtomic(join(path, 'status.json'), JSON.stringify(d));
    const runner = runnerFor('sc-query-running.en-US.txt', 0);
    const io = { ...captureIo(), env: { SystemRoot: 'C:\\Windows' } };
    const out: string[] = [];
    const code = await createStatusCommand({ platform: 'win32', runner, now: () => T0 + 60_000 }).run(['--state-dir', path], { ...io, stdout: (t) => out.push(t) });
    assert.equal(code, 0, out.join(''));
    assert.deepEqual(runner.calls, [['C:\\Windows\\System32\\sc.exe', 'query', 'wfp-block-agent']]);
    const text = out.join('');
    assert.match(text, /^wfp-block-agent: healthy\n/);
    assert.match(text, /Service: +RUNNING/);
    assert.match(text, /Last export: +success 2026-12-01T10:00:40Z \(20 s ago\)/);
    assert.match(text, /Config: +C:\\ProgramData\\wfp-block-agent\\agent\.yaml/);
  });

  it('exit 1 (degraded) with the reason, and --json with the whole document', async () => {
    const d = doc({ updated_at: '2026-12-01T10:00:50Z', lag: { seconds: 700, records_behind: 12 } });
    const path = join(dir, 'lag');
    await nodeCheckpointFs.writeAtomic(join(path, 'status.json'), JSON.stringify(d));
    const io = captureIo();
    const code = await createStatusCommand({ platform: 'win32', runner: runnerFor('sc-query-running.en-US.txt', 0), now: () => T0 + 60_000 }).run(['--json', '--state-dir', path], io);
    assert.equal(code, 1);
    const report = JSON.parse(io.out()) as { health: string; reasons: string[]; service: ServiceState; status: AgentStatusDocument };
    assert.equal(report.health, 'degraded');
    assert.deepEqual(report.service, RUNNING);
    assert.match(report.reasons[0]!, /Lag: events leave the agent 700 s/);
    assert.equal(report.status.lag.records_behind, 12);
  });

  it('exit 2 when the service is stopped (German sc output) or the status file is missing or broken', async () => {
    const d = doc({ updated_at: '2026-12-01T10:00:50Z' });
    const path = join(dir, 'stopped');
    await nodeCheckpointFs.writeAtomic(join(path, 'status.json'), JSON.stringify(d));
    const io = captureIo();
    assert.equal(await createStatusCommand({ platform: 'win32', runner: runnerFor('sc-query-stopped.de-DE.txt', 0), now: () => T0 + 60_000 }).run(['--state-dir', path], io), 2);
    assert.match(io.out(), /The service wfp-block-agent is STOPPED\./);

    const missing = captureIo();
    assert.equal(await createStatusCommand({ platform: 'linux' }).run(['--state-dir', join(dir, 'none')], missing), 2);
    assert.match(missing.out(), /No agent status: .*status\.json does not exist/);
    assert.match(missing.out(), /Service: +unknown \(not Windows\)/);

    const broken = join(dir, 'broken');
    await nodeCheckpointFs.writeAtomic(join(broken, 'status.json'), '{"schema": 9}');
    const bad = captureIo();
    assert.equal(await createStatusCommand({ platform: 'linux' }).run(['--state-dir', broken], bad), 2);
    assert.match(bad.out(), /schema 9, expected 1/);

    const notInstalled = captureIo();
    assert.equal(await createStatusCommand({ platform: 'win32', runner: runnerFor('sc-query-missing.de-DE.txt', 1060), now: () => T0 }).run(['--state-dir', path], notInstalled), 2);
    assert.match(notInstalled.out(), /Service: +not installed/);
  });

  it('finds the state dir through --config', async () => {
    const path = join(dir, 'via-config');
    await nodeCheckpointFs.writeAtomic(join(path, 'status.json'), JSON.stringify(doc({ updated_at: '2026-12-01T10:00:50Z' })));
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, `state_dir: ${JSON.stringify(path)}\n`);
    const io = captureIo();
    assert.equal(await createStatusCommand({ platform: 'linux', now: () => T0 + 60_000 }).run(['--config', config], io), 0, io.out());
    assert.match(io.out(), new RegExp(`Status file: +${path.replace(/[/.]/g, '\\$&')}/status\\.json`));
  });
});
