// Contract tests of the live path on Linux: fake bridge (same callback protocol, fixture XML) → Windows source
// → real pipeline → in-memory sink, with a real checkpoint in a temp folder. A log wrapped or cleared while the
// agent was stopped, a clear under a running agent and a full queue are tested on the real bridge instead
// (test/integration/live-contract-real-bridge.test.ts): only what needs a step-by-step log is here.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCheckpointFs } from '../../../agent/checkpoint/index.ts';
import type { CheckpointFs } from '../../../agent/checkpoint/index.ts';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { OUTAGE, REJECTED } from '../../helpers/in-memory-sink.ts';
import { blockEvents, msDocs, range, startLiveAgent, stopLiveAgents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';

function savedRecordId(dir: string): number | null {
  return JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels.Security.record_id;
}

/** Real checkpoint writes, except that the nth one first runs `before` (which may throw or never end). */
function onNthWrite(nth: number, before: () => Promise<void>): CheckpointFs {
  let writes = 0;
  return {
    ...nodeCheckpointFs,
    async writeAtomic(path, text) {
      if (++writes === nth) await before();
      await nodeCheckpointFs.writeAtomic(path, text);
    },
  };
}

describe('live path contract (fake bridge)', () => {
  // A failed assertion skips the test's own stop(): stop here, or the fake bridge's timer hangs npm test.
  afterEach(() => stopLiveAgents());

  it('exports every collected event once, in order, and checkpoints the last one', async () => {
    const log = new FakeSecurityLog(1000);
    log.append(...blockEvents(25));
    log.appendOther(5);
    log.append(msDocs(5156));
    const dir = tempStateDir();
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 25);
    const summary = await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(1000, 1024));
    assert.equal(summary?.acknowledged, 25);
    assert.equal(savedRecordId(dir), 1024);
    assert.equal(agent.bridge.maxInFlight, 1);
    assert.equal(agent.bridge.stopCalls, 1);
  });

  it('with a slow consumer, the bridge never has more than one batch in flight and nothing is lost', async () => {
    const log = new FakeSecurityLog(1);
    const agent = startLiveAgent({ log, stateDir: tempStateDir() });
    await agent.openError;
    agent.sink.flushDelayMs = 15;
    for (let i = 0; i < 6; i++) {
      log.append(...blockEvents(20));
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => agent.exportedIds().length === 120, 10000);
    await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(1, 120));
    assert.equal(agent.bridge.maxInFlight, 1);
    // While a batch is being exported, the bridge waits: every records message was answered before the next.
    const messages = agent.bridge.sent.filter((m) => m.type === 'records');
    assert.ok(messages.every((m) => m.type === 'records' && m.recordIds.length <= 10));
  });

  it('during an exporter outage, reading pauses, nothing is acknowledged, and it resumes without loss', async () => {
    const log = new FakeSecurityLog(500);
    log.append(...blockEvents(10));
    const dir = tempStateDir();
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 10);
    agent.sink.failing = OUTAGE;
    log.append(...blockEvents(50));
    await waitFor(() => agent.sink.flushCalls >= 8);
    const sentDuringOutage = agent.bridge.sentRecordIds().length;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(agent.bridge.sentRecordIds().length, sentDuringOutage, 'no new batch is read while export fails');
    assert.ok(sentDuringOutage <= 30, `at most one batch beyond the exported ones was read (sent ${sentDuringOutage})`);
    assert.equal(savedRecordId(dir), 509, 'the checkpoint did not move');
    assert.ok(agent.lines.some((l) => /^Export failed; reading pauses/.test(l)));
    agent.sink.failing = null;
    await waitFor(() => agent.exportedIds().length === 60, 10000);
    await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(500, 559));
    assert.equal(savedRecordId(dir), 559);
    assert.ok(agent.lines.some((l) => /^Export recovered after \d+ failed flushes/.test(l)));
  });

  it('a batch the exporter rejects for good is dropped with a reason and reading goes on', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(30));
    const dir = tempStateDir();
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' } });
    agent.sink.failNext(1, REJECTED);
    await waitFor(() => agent.exportedIds().length === 20);
    await waitFor(() => savedRecordId(dir) === 30);
    const summary = await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(11, 30));
    assert.equal(summary?.dropped, 10);
    assert.equal(summary?.acknowledged, 30);
    assert.ok(agent.lines.some((l) => /rejected a batch of 10 records for good/.test(l)));
  });

  it('one undecodable record is dropped with a counted reason and never sinks its batch', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(4));
    log.append('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>5157</EventID><EventRecordID>0</EventRecordID>');
    log.append(...blockEvents(5));
    const dir = tempStateDir();
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 9);
    await waitFor(() => savedRecordId(dir) === 10);
    const summary = await agent.stop();
    assert.deepEqual(agent.exportedIds(), [1, 2, 3, 4, 6, 7, 8, 9, 10]);
    assert.equal(summary?.dropped, 1);
    assert.equal(summary?.acknowledged, 10);
  });

  it('a failing checkpoint write is reported, reading goes on, and the next write catches up', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(30));
    const dir = tempStateDir();
    const fs = onNthWrite(2, async () => {
      throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    });
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' }, fs });
    await waitFor(() => agent.exportedIds().length === 30);
    await agent.stop();
    const failed = agent.events.filter((e) => e.kind === 'checkpoint-write-failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.kind === 'checkpoint-write-failed' ? failed[0]!.detail : '', /ENOSPC/);
    assert.equal(savedRecordId(dir), 30);
  });

  it('stopped in the middle of a flush, the batch in hand is acknowledged only if that flush succeeds', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(10));
    const dir = tempStateDir();
    const agent = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 10);
    log.append(...blockEvents(10));
    agent.sink.failing = OUTAGE;
    agent.sink.onFlush = () => agent.controller.abort();
    const summary = await agent.done;
    assert.equal(summary?.lastAcknowledged, 10);
    assert.equal(savedRecordId(dir), 10, 'the unexported batch is not checkpointed');
    assert.equal(agent.bridge.stopCalls, 1);
  });

  it('after a crash, a restart resumes from the checkpoint: no loss, duplicates bounded by one batch', async () => {
    const log = new FakeSecurityLog(7000);
    log.append(...blockEvents(60));
    const dir = tempStateDir();
    // Crash between export and checkpoint: the 4th checkpoint write (after batch 3 was exported) never ends.
    const hangingFs = onNthWrite(4, () => new Promise(() => undefined));
    const first = startLiveAgent({ log, stateDir: dir, start: { kind: 'beginning' }, fs: hangingFs });
    await waitFor(() => first.exportedIds().length === 30);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(first.exportedIds().length, 30, 'the crashed agent does not go on');
    assert.equal(savedRecordId(dir), 7019);
    // The first agent is abandoned (process gone); a second one starts on the same state folder.
    const second = startLiveAgent({ log, stateDir: dir });
    await waitFor(() => second.exportedIds().length === 40);
    await second.stop();
    const all = [...first.exportedIds(), ...second.exportedIds()];
    assert.deepEqual([...new Set(all)].sort((a, b) => a - b), range(7000, 7059), 'no loss');
    const duplicates = all.length - new Set(all).size;
    assert.equal(duplicates, 10, 'exactly the one batch exported but not checkpointed');
    assert.ok(second.events.some((e) => e.kind === 'checkpoint-loaded' && e.recordId === 7019));
    assert.equal(second.events.filter((e) => e.kind === 'possible-loss').length, 0);
  });

  it('reports possible loss when the log wrapped during an exporter outage, then goes on', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(10));
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 10);
    agent.sink.failing = OUTAGE;
    log.append(...blockEvents(150));
    await waitFor(() => agent.sink.flushCalls >= 5);
    // 11..20 are in the pump's hands, 21..30 wait in the bridge for an answer, 31..130 fill its queue (100):
    // the watcher waits at 131. The log then overwrites 131..140 before it was read.
    assert.deepEqual(agent.bridge.sentRecordIds(), range(1, 30));
    assert.equal(agent.bridge.maxQueued, 100, 'the queue filled to its bound and the watcher waited');
    // The wrap comes in the last moment of the outage: the source's cached oldest record (read about once a
    // second) does not show it yet, so the skip 130 -> 141 is first taken for a filtered gap, then confirmed as
    // a loss by the next log query, about a second after the records (the records are not held for it).
    log.wrapTo(141);
    agent.sink.failing = null;
    await waitFor(() => agent.exportedIds().length === 150, 10000);
    await waitFor(() => agent.events.some((e) => e.kind === 'possible-loss'), 5000);
    await agent.stop();
    const loss = agent.events.filter((e) => e.kind === 'possible-loss');
    assert.equal(loss.length, 1);
    assert.ok(loss[0]!.kind === 'possible-loss');
    assert.equal(loss[0]!.reason, 'overwritten');
    assert.equal(loss[0]!.possiblyLost, 10, 'records 131..140 were overwritten before they were read');
    assert.match(loss[0]!.detail, /records 131\.\.140 were read/);
    assert.deepEqual(agent.exportedIds(), [...range(1, 130), ...range(141, 160)]);
    assert.ok(!agent.events.some((e) => e.kind === 'paused'), 'a full queue blocks the watcher; it does not pause');
    const statuses = agent.bridge.sent.filter((m) => m.type === 'status');
    assert.equal(statuses.length, 1, 'one subscription: the watcher went on with the oldest record left');
  });

  it('ordinary gaps of a filtered subscription report nothing and cost at most about one log query a second', async () => {
    const log = new FakeSecurityLog(1);
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' } });
    assert.equal(await agent.openError, null);
    const began = Date.now();
    const queriesAtStart = agent.bridge.logInfoCalls;
    // The Security log interleaves other events: every batch delivered has gaps in its record ids.
    for (let i = 0; i < 25; i++) {
      log.append(...blockEvents(4));
      log.appendOther(3);
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => agent.exportedIds().length === 100, 10000);
    await new Promise((r) => setTimeout(r, 1200)); // the last gaps' confirming query
    const queries = agent.bridge.logInfoCalls - queriesAtStart;
    const seconds = (Date.now() - began) / 1000;
    await agent.stop();
    assert.equal(agent.events.filter((e) => e.kind === 'possible-loss').length, 0);
    assert.ok(queries >= 2, `the gaps were judged again by log queries (${queries})`);
    assert.ok(queries <= Math.ceil(seconds) + 1, `${queries} log queries in ${seconds.toFixed(1)} s: not one per batch`);
  });

  it('a bridge channel error is reported, the bridge resubscribes from its position, nothing is lost', async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(20));
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' } });
    await waitFor(() => agent.exportedIds().length === 20);
    agent.bridge.failChannel('EventLogException: The RPC server is unavailable.');
    log.append(...blockEvents(20));
    await waitFor(() => agent.exportedIds().length === 40);
    await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(1, 40));
    const errors = agent.events.filter((e) => e.kind === 'bridge-error');
    assert.equal(errors.length, 1);
    const statuses = agent.bridge.sent.filter((m) => m.type === 'status').map((m) => m.type === 'status' && [m.state, m.resumeAfter]);
    assert.deepEqual(statuses, [['subscribing', -1], ['error', 20], ['subscribing', 20]]);
  });
});
