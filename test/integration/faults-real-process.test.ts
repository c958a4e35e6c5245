// Fault tests on the real process (issue 14 item 3): `wfp-agent run` as a child process, the real net48 bridge
// through edge-js with its synthetic producer, the real checkpoint file and the OTLP test receiver on loopback.
// Intervals are shortened through the config so the file stays within a couple of minutes on 2 cores.
// Already covered elsewhere, not repeated here: SIGTERM/SIGINT stop with the checkpoint (synthetic-run.test.ts),
// stdin-close stop and stop_timeout_ms (run-stop.test.ts), wrap and clear against the real bridge
// (live-contract-real-bridge.test.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { blockTemplates, startSyntheticAgent, syntheticAgentSkip, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';
import type { SyntheticAgent } from '../helpers/synthetic-agent.ts';

const receivers: OtlpReceiver[] = [];
const agents: SyntheticAgent[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
// Whatever a failed assertion left running is stopped here, so a failure never hangs the run.
after(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await Promise.all(receivers.map((r) => r.close()));
  for (const cleanup of cleanups) await cleanup();
});

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Record ids the receiver got, keyed by host.name + record id (what a backend would deduplicate on). */
function receivedKeys(receiver: OtlpReceiver): string[] {
  return receiver.logs
    .filter((l) => l.attributes['windows.event.record_id'] !== undefined)
    .map((l) => `${String(l.resource['host.name'])}#${String(l.attributes['windows.event.record_id'])}`);
}

function recordIds(receiver: OtlpReceiver): number[] {
  return receiver.logs.map((l) => Number(l.attributes['windows.event.record_id'])).filter((n) => Number.isFinite(n));
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

describe('fault tests on the real process', { skip: syntheticAgentSkip(), concurrency: false }, () => {
  it('kill -9 in the middle of a batch, five times in a row: every record arrives, at most one batch twice per kill', { timeout: 120_000 }, async (t) => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    // A live log written at 400 records/s, 8000 in all (20 s): each run is killed while records are flowing.
    const batchSize = 50;
    const producer = { firstId: 20_001, count: 8000, backlog: 200, rate: 400, mix: { '5157': 3, '5152': 1, '5155': 1 }, templates: blockTemplates() };
    const last = 20_000 + 8000;
    let stateDir: string | undefined;
    const kills: { checkpoint: number; receivedBefore: number }[] = [];
    for (let kill = 0; kill < 5; kill++) {
      const agent = startSyntheticAgent({
        producer,
        receiverUrl: receiver.url,
        ...(stateDir === undefined ? {} : { stateDir }),
        source: { start_position: stateDir === undefined ? 'beginning' : 'checkpoint', batch_size: batchSize, max_delay_ms: 50 },
      });
      agents.push(agent);
      stateDir = agent.stateDir;
      const before = agent.checkpoint() ?? 0;
      // Progress first (a checkpoint written by this run), then a kill at an arbitrary point of the next batches.
      await until(() => (agent.checkpoint() ?? 0) > before, 60_000, () => `no progress after kill ${kill}; stderr:\n${agent.stderr()}`);
      await sleep(50 + Math.floor(Math.random() * 250));
      agent.child.kill('SIGKILL');
      assert.equal(await agent.exited, 'SIGKILL');
      kills.push({ checkpoint: agent.checkpoint() ?? 0, receivedBefore: recordIds(receiver).length });
      if (kill === 0) assert.match(agent.stderr(), /SYNTHETIC test source/);
      else assert.match(agent.stderr(), /resumes after record \d+/);
    }
    assert.ok(kills[4]!.checkpoint < last, `the kills happened while the log was still being read: ${JSON.stringify(kills)}`);

    // The sixth run is left to finish, then stopped cleanly.
    const final = startSyntheticAgent({ producer, receiverUrl: receiver.url, stateDir: stateDir!, source: { start_position: 'checkpoint', batch_size: batchSize, max_delay_ms: 50 } });
    agents.push(final);
    await until(() => final.checkpoint() === last, 60_000, () => `checkpoint ${final.checkpoint()}; stderr:\n${final.stderr()}`);
    await until(() => new Set(recordIds(receiver)).size >= 8000, 10_000, () => `${new Set(recordIds(receiver)).size} distinct received`);
    assert.equal(await final.stop('SIGTERM'), 0, final.stderr());

    const ids = recordIds(receiver);
    assert.deepEqual([...new Set(ids)].sort((a, b) => a - b), range(20_001, last), 'every record reached the receiver at least once');
    const keys = receivedKeys(receiver);
    const duplicates = keys.length - new Set(keys).size;
    // At-least-once: what was exported but not yet checkpointed when the process died is sent again, at most
    // the batch in flight (the checkpoint advances once per acknowledged batch).
    assert.ok(duplicates <= kills.length * batchSize, `${duplicates} duplicates for ${kills.length} kills of batch ${batchSize}`);
    // Each duplicate lies just after the checkpoint of a kill: the batch that was in flight.
    t.diagnostic(`kills at checkpoints ${kills.map((k) => k.checkpoint).join(', ')}; ${duplicates} duplicates`);
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, n] of counts) {
      if (n < 2) continue;
      assert.ok(n <= 6, `record ${id} arrived ${n} times`);
      assert.ok(kills.some((k) => id > k.checkpoint && id <= k.checkpoint + batchSize * 2), `duplicate ${id} is just after a checkpoint at a kill: ${JSON.stringify(kills)}`);
    }
    // log.record.uid is the same for both copies of a duplicate, so a backend can drop the second.
    const uids = new Map<string, string>();
    for (const l of receiver.logs) {
      const key = `${String(l.resource['host.name'])}#${String(l.attributes['windows.event.record_id'])}`;
      const uid = String(l.attributes['log.record.uid']);
      assert.notEqual(uid, 'undefined');
      if (uids.has(key)) assert.equal(uids.get(key), uid, `the same uid for both copies of ${key}`);
      uids.set(key, uid);
    }
  });
});
