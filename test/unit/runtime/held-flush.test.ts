// While a flood-control window holds the checkpoint, the live pump exports the batches it reads together (every
// HELD_FLUSH_EVERY_MS, or once a batch's worth of log records waits, or when reading goes idle) instead of one
// export per batch: the checkpoint cannot move meanwhile, and a packet-drop flood otherwise costs one export per
// 256 events. Nothing is lost or held longer than that: every 5157 still arrives, and the checkpoint is where it was.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../agent/config/index.ts';
import { HELD_FLUSH_EVERY_MS } from '../../../agent/runtime/index.ts';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { msDocs, startLiveAgent, stopLiveAgents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';

const aggregate = parseConfig('events: {packet_drops: aggregate}\n', { file: '<test>', env: () => undefined });
const savedRecordId = (dir: string): number | null => JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels.Security.record_id;

/** 100 events from id 1: a 5157 every 10th (ids 10, 20, ...), the rest 5152. */
function flood(): FakeSecurityLog {
  const log = new FakeSecurityLog(1);
  log.append(...Array.from({ length: 100 }, (_, i) => msDocs((i + 1) % 10 === 0 ? 5157 : 5152)));
  return log;
}

describe('flushes while a flood-control window holds the checkpoint', { timeout: 20_000 }, () => {
  afterEach(() => stopLiveAgents());

  it('exports the batches read within the interval together; every 5157 arrives, the checkpoint stays held', async () => {
    const dir = tempStateDir();
    // The clock does not move: only idle reads and the record count end a deferral.
    const agent = startLiveAgent({ log: flood(), stateDir: dir, start: { kind: 'beginning' }, batchSize: 10, config: aggregate, clock: () => 1_000 });
    await waitFor(() => agent.sink.exported.filter((e) => e.record !== null).length === 10);
    const flushes = agent.sink.flushCalls;
    assert.ok(flushes < 10, `10 batches read, ${flushes} flushes: batches under a held checkpoint were exported together`);
    // The window opened at the first 5152 (id 1) and is still open: the checkpoint stays before it.
    assert.equal(savedRecordId(dir), 0);
    await agent.stop();
    // Stop: the window's summary and everything read are exported, and the checkpoint catches up.
    assert.equal(savedRecordId(dir), 100);
    assert.equal(agent.sink.exportedRecords.filter((r) => r.eventName === 'wfp.packet.dropped.summary').length, 1);
  });

  it('exports each batch on its own once the interval has passed between them', async () => {
    const dir = tempStateDir();
    // Every reading of the clock is a full interval later.
    let now = 0;
    const agent = startLiveAgent({ log: flood(), stateDir: dir, start: { kind: 'beginning' }, batchSize: 10, config: aggregate, clock: () => (now += HELD_FLUSH_EVERY_MS) });
    await waitFor(() => agent.sink.exported.filter((e) => e.record !== null).length === 10);
    assert.ok(agent.sink.flushCalls >= 10, `10 batches, ${agent.sink.flushCalls} flushes`);
    await agent.stop();
  });
});
