// Undecodable records on the live path: dropped and counted (live-contract.test.ts), and named in one line per
// batch (at most UNDECODABLE_IDS_PER_LINE ids, then "and N more"), with the first one's decode error.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { blockEvents, range, startLiveAgent, stopLiveAgents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import { UNDECODABLE_IDS_PER_LINE } from '../../../agent/runtime/live-pump.ts';

const TRUNCATED = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>5157</EventID><EventRecordID>0</EventRecordID>';

describe('undecodable records on the live path', () => {
  afterEach(() => stopLiveAgents());

  it('are named in one line per batch: their ids (20 at most, then how many more) and the first decode error', { timeout: 30_000 }, async () => {
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(2)); // 1, 2
    log.append(...Array.from({ length: 25 }, () => TRUNCATED)); // 3..27
    log.append(...blockEvents(3)); // 28..30
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' }, batchSize: 100 });
    await waitFor(() => agent.exportedIds().length === 5);
    const summary = await agent.stop();
    assert.deepEqual(agent.exportedIds(), [1, 2, 28, 29, 30]);
    assert.equal(summary?.dropped, 25);
    const lines = agent.lines.filter((l) => l.includes('undecodable record'));
    // The fake bridge may split the 30 records into several batches: one line per batch that had bad records.
    let named: number[] = [];
    let counted = 0;
    for (const line of lines) {
      const m = /^Dropped (\d+) undecodable records? \(counted in records_dropped\{reason="undecodable"\}\): ([\d, ]+?)(?: and (\d+) more)?\. error=Security: record (\d+)(?: \(line \d+\))?: malformed-xml: .+$/.exec(line);
      assert.ok(m !== null, line);
      const ids = m[2]!.split(', ').map(Number);
      assert.equal(ids.length, Math.min(Number(m[1]), UNDECODABLE_IDS_PER_LINE), line);
      assert.equal(Number(m[3] ?? 0), Number(m[1]) - ids.length, line);
      assert.equal(Number(m[4]), ids[0], 'the error is the first named record');
      named = [...named, ...ids];
      counted += Number(m[1]);
    }
    assert.equal(counted, 25);
    assert.ok(named.every((id) => id >= 3 && id <= 27), named.join(','));
    if (lines.length === 1) assert.deepEqual(named, range(3, 22));
  });
});
