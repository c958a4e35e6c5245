// The live pump pushes metrics with a batch at most once per interval (1 s): the other batches flush only their
// log records, and counts left unpushed go out once the source is idle. A push per batch was ~8% of a core at
// 20,000 events/s and as many requests on the metrics backend.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METRICS_PUSH_EVERY_MS } from '../../../agent/runtime/index.ts';
import { FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { blockEvents, startLiveAgent, stopLiveAgents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';

describe('metrics push interval in the live pump', { timeout: 30_000 }, () => {
  afterEach(() => stopLiveAgents());

  it('pushes metrics with the first batch, then once per second of the clock, and when idle', async () => {
    let now = 1_000_000;
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(10));
    const agent = startLiveAgent({ log, stateDir: tempStateDir(), start: { kind: 'beginning' }, batchSize: 2, clock: () => now });
    await waitFor(() => agent.exportedIds().length === 10);
    const first = agent.sink.flushes.slice(0, 5);
    assert.deepEqual(first, ['all', 'logs', 'logs', 'logs', 'logs'], 'five batches within one instant: metrics once');
    // Idle with counts not pushed: still within the interval, nothing more goes.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(agent.sink.flushes.length, 5);
    // The interval passes with nothing to read: the unpushed counts go out once.
    now += METRICS_PUSH_EVERY_MS;
    await waitFor(() => agent.sink.flushes.length === 6);
    assert.equal(agent.sink.flushes[5], 'all');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(agent.sink.flushes.length, 6, 'nothing new counted: no further push');
    // New events after the interval: their first batch carries the metrics.
    now += METRICS_PUSH_EVERY_MS;
    log.append(...blockEvents(4));
    await waitFor(() => agent.exportedIds().length === 14);
    assert.deepEqual(agent.sink.flushes.slice(6), ['all', 'logs']);
    await agent.stop();
  });
});
