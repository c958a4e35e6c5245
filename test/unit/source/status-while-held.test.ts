// The bridge sends reports (skipped, error, paused) in a concurrent call while a records batch's answer is held
// (agent/bridge/dotnet/WfpBridge/BridgeSession.cs). The source must answer them at once, report them at once,
// and read the held batch and the ones after it exactly as if the reports had not come in between.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BridgeAnswer, BridgeStatus } from '../../../agent/bridge/index.ts';
import { waitFor } from '../../helpers/live-agent.ts';
import { openScriptedSource } from '../../helpers/scripted-bridge.ts';

const never = new AbortController().signal;

describe('the Windows source, reports while a batch is held', { timeout: 10_000 }, () => {
  it('answers and reports skipped, error and paused at once; the held batch and the loss judgement are unchanged', async () => {
    const scripted = await openScriptedSource(1, 10);
    const { source, events, send, records } = scripted;
    const status = (state: BridgeStatus['state'], resumeAfter: number, extra: Partial<BridgeStatus> = {}): Promise<BridgeAnswer> =>
      send({ type: 'status', state, detail: `${state} detail`, resumeAfter, log: null, ...extra });
    try {
      await send({ type: 'status', state: 'subscribing', detail: '', resumeAfter: -1, log: scripted.info });
      // The pump reads nothing (an export outage): the batch's answer is held.
      let heldAnswered = false;
      const held = records([1, 2, 3, 4]).then((a) => ((heldAnswered = true), a));
      const reportsFrom = events.length;
      assert.deepEqual(await status('skipped', 5, { skippedTotal: 1 }), { ok: true });
      assert.deepEqual(await status('error', 4), { ok: true });
      assert.deepEqual(await status('paused', 4), { ok: true });
      assert.deepEqual(await status('skipped', 7, { skippedTotal: 2 }), { ok: true });
      const reported = events.slice(reportsFrom).filter((e) => e.kind !== 'newest-record');
      assert.deepEqual(
        reported.map((e) => (e.kind === 'render-failed' ? `${e.kind} ${e.recordId} ${e.count}` : e.kind)),
        ['render-failed 5 1', 'bridge-error', 'paused', 'render-failed 7 1'],
      );
      assert.equal(heldAnswered, false, 'the reports did not release the held batch');

      // The outage ends: the held batch is read whole, then answered.
      const batch = await source.read(100, never);
      assert.deepEqual(batch.items.map((i) => i.recordId), [1, 2, 3, 4]);
      assert.deepEqual(await held, { ok: true });
      const deliver = async (ids: number[]): Promise<void> => {
        const answered = records(ids);
        await source.read(100, never);
        await answered;
      };
      // The reports left the last delivered record (4) alone: a filtered gap costs nothing, and a skip past the
      // log's oldest record is still judged from the record before it.
      await deliver([6, 8]);
      const asked = scripted.queries;
      await waitFor(() => scripted.queries > asked, 2000); // the query that confirms both gaps ordinary
      assert.equal(events.filter((e) => e.kind === 'possible-loss').length, 0);
      scripted.info = { ...scripted.info, oldestRecordId: 20, newestRecordId: 40 };
      await waitFor(() => events.some((e) => e.kind === 'newest-record' && e.recordId === 40), 2000);
      await deliver([20]);
      const losses = events.filter((e) => e.kind === 'possible-loss');
      assert.deepEqual(losses.map((e) => (e.kind === 'possible-loss' ? [e.reason, e.possiblyLost] : [])), [['overwritten', 11]]);
    } finally {
      await source.shutdown();
    }
  });
});
