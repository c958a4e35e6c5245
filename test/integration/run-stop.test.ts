// How a service stops the real `wfp-agent run` process: --stop-on-stdin-eof and closing its standard input (what
// WfpAgentService.exe does) flushes, checkpoints and exits 0; a stop that cannot finish within
// source.stop_timeout_ms is cut with one line and exit code 1. Linux, real net48 bridge with the synthetic producer.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { blockTemplates, startSyntheticAgent, syntheticAgentSkip, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';
import type { SyntheticAgent } from '../helpers/synthetic-agent.ts';

const receivers: OtlpReceiver[] = [];
const agents: SyntheticAgent[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];
after(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await Promise.all(receivers.map((r) => r.close()));
  sockets.forEach((s) => s.destroy());
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function recordIds(receiver: OtlpReceiver): number[] {
  return receiver.logs.map((l) => Number(l.attributes['windows.event.record_id'])).filter((n) => Number.isFinite(n));
}

describe('wfp-agent run --stop-on-stdin-eof (real process)', { skip: syntheticAgentSkip(), concurrency: false }, () => {
  it('stops when its standard input closes, with every record up to the checkpoint exported once', { timeout: 120_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    // A backlog, then a live tail still writing when the stop comes.
    const producer = { firstId: 5001, backlog: 300, rate: 200, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
    const agent = startSyntheticAgent({ producer, receiverUrl: receiver.url, args: ['--stop-on-stdin-eof'] });
    agents.push(agent);
    await until(() => (agent.checkpoint() ?? 0) >= 5400, 60_000, () => `checkpoint ${agent.checkpoint()}; stderr:\n${agent.stderr()}`);
    const stoppedAt = Date.now();
    agent.child.stdin!.end();
    const code = await Promise.race([agent.exited, new Promise((r) => setTimeout(() => r('still running after 15 s'), 15_000))]);
    assert.equal(code, 0, agent.stderr());
    assert.ok(Date.now() - stoppedAt < 10_000, 'within the default stop_timeout_ms');
    const err = agent.stderr();
    assert.match(err, /Stopping \(standard input closed \(--stop-on-stdin-eof\)\): flushing the batch in hand and writing the checkpoint\./);
    const stopped = /Stopped: (\d+) records read, (\d+) acknowledged, 0 dropped; checkpoint at (\d+)\./.exec(err);
    assert.ok(stopped !== null, err);
    const checkpoint = agent.checkpoint()!;
    assert.equal(Number(stopped[3]), checkpoint);
    const ids = [...new Set(recordIds(receiver))].sort((a, b) => a - b);
    assert.deepEqual(
      ids.filter((id) => id <= checkpoint),
      Array.from({ length: checkpoint - 5000 }, (_, i) => 5001 + i),
      'everything up to the checkpoint reached the receiver',
    );
    assert.equal(recordIds(receiver).length, ids.length, 'and only once');
  });

  it('is cut at source.stop_timeout_ms when the exporter hangs, with one line and exit code 1', { timeout: 120_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    // An OTLP endpoint that accepts connections and never answers.
    const server = createServer((socket) => void sockets.push(socket));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const producer = { firstId: 1, backlog: 50, rate: 0, templates: blockTemplates([5157]) };
    const agent = startSyntheticAgent({
      producer,
      receiverUrl: `http://127.0.0.1:${port}`,
      args: ['--stop-on-stdin-eof'],
      source: { stop_timeout_ms: 1000 } as Record<string, number>,
    });
    agents.push(agent);
    await until(() => sockets.length > 0, 60_000, () => `no export attempt; stderr:\n${agent.stderr()}`);
    const stoppedAt = Date.now();
    agent.child.stdin!.end();
    const code = await Promise.race([agent.exited, new Promise((r) => setTimeout(() => r('still running after 20 s'), 20_000))]);
    const took = Date.now() - stoppedAt;
    assert.equal(code, 1, agent.stderr());
    assert.ok(took >= 1000 && took < 5000, `exited ${took} ms after the stop`);
    const lines = agent.stderr().split('\n').filter((l) => l.includes('stop_timeout_ms'));
    assert.deepEqual(lines, [
      'wfp-agent run: The stop did not finish within source.stop_timeout_ms (1000 ms); exiting now with code 1. Records after the last checkpoint are read again at the next start.',
    ]);
    assert.equal(agent.checkpoint(), null, 'nothing was exported, so nothing was checkpointed');
  });
});
