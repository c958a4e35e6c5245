// The live-path contract scenarios the real bridge can produce on Linux, run against the net48 bridge through
// edge-js (CoreCLR) with its synthetic producer instead of the fake (test/helpers/fake-bridge.ts, which models
// them but is only a model): a full queue blocks the producer, strict resume after a wrap and a clear while
// stopped, and the queue's position after a clear under a running subscription. Source, checkpoint, pipeline
// and pump are the production code; the sink is in memory.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeProducer, createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import type { EdgeBridgeHost, SyntheticProducerSpec } from '../../agent/bridge/index.ts';
import { createBasicEnricher } from '../../agent/enrich/index.ts';
import { createEventPipeline } from '../../agent/pipeline/index.ts';
import { createCheckpointStore } from '../../agent/checkpoint/index.ts';
import { openWindowsEventLogSource } from '../../agent/source/index.ts';
import type { SourceEvent, StartPosition } from '../../agent/source/index.ts';
import { createLivePump, createPumpMetrics } from '../../agent/runtime/index.ts';
import type { PumpSummary } from '../../agent/runtime/index.ts';
import { createInMemorySink } from '../helpers/in-memory-sink.ts';
import type { InMemorySink } from '../helpers/in-memory-sink.ts';
import { CONFIG, EVENT_IDS, range, tempStateDir, waitFor } from '../helpers/live-agent.ts';
import { blockTemplates, EDGE_JS, syntheticAgentSkip, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';

const skip = syntheticAgentSkip();
const running: RealAgent[] = [];
// Stop whatever a failed assertion left running (the pump, its keep-alive timer and the C# session).
after(async () => {
  for (const agent of running) await agent.stop();
});

interface RealAgent {
  readonly bridge: EdgeBridgeHost;
  readonly sink: InMemorySink;
  readonly events: SourceEvent[];
  readonly lines: string[];
  readonly done: Promise<PumpSummary | null>;
  exportedIds(): number[];
  stop(): Promise<PumpSummary | null>;
}

function startRealAgent(producer: SyntheticProducerSpec, stateDir: string, start: StartPosition = { kind: 'checkpoint' }, batchSize = 10): RealAgent {
  const host = createEdgeBridgeHost({ assemblyFile: DEFAULT_BRIDGE_ASSEMBLY, edgeModule: EDGE_JS, producer: bridgeProducer({ templates: blockTemplates(), ...producer }) });
  assert.ok(host.ok, host.ok ? '' : host.error);
  const bridge = host.value;
  const sink = createInMemorySink();
  const events: SourceEvent[] = [];
  const lines: string[] = [];
  const metrics = createPumpMetrics();
  const controller = new AbortController();
  const pipeline = createEventPipeline(CONFIG, { enricher: createBasicEnricher() });
  // edge-js holds no handle on Node's event loop while .NET works.
  const keepAlive = setInterval(() => undefined, 1000);
  const done = (async (): Promise<PumpSummary | null> => {
    try {
      const source = await openWindowsEventLogSource({
        bridge,
        checkpoint: createCheckpointStore({ dir: stateDir }),
        eventIds: EVENT_IDS,
        start,
        batchSize,
        maxDelayMs: 20,
        queueBound: 100,
        backoffInitialMs: 5,
        backoffMaxMs: 20,
        observer: (event) => {
          events.push(event);
          metrics.observe(event);
        },
      });
      if (!source.ok) throw new Error(source.error);
      const pump = createLivePump({ source: source.value, process: (item) => pipeline.process(item), sink, metrics, batchSize, backoffInitialMs: 5, backoffMaxMs: 20, log: (l) => lines.push(l) });
      return await pump.run(controller.signal);
    } finally {
      clearInterval(keepAlive);
    }
  })();
  const agent: RealAgent = {
    bridge,
    sink,
    events,
    lines,
    done,
    exportedIds: () => sink.exported.map((e) => e.event.raw.recordId ?? -1),
    async stop() {
      controller.abort();
      const summary = await done.catch(() => null);
      // The source stops the bridge; when it never opened, stop it here (one C# session per process).
      await bridge.stop();
      return summary;
    },
  };
  running.push(agent);
  return agent;
}

function savedRecordId(dir: string): number | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels.Security.record_id;
  } catch {
    return null;
  }
}

const losses = (agent: RealAgent) => agent.events.filter((e) => e.kind === 'possible-loss');

describe('live path contract (real bridge, synthetic producer)', { skip, concurrency: false }, () => {
  it('a consumer slower than the queue: the producer waits, every record once, in order, each visited once', { timeout: 60_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    const agent = startRealAgent({ firstId: 1, backlog: 1500, mix: { '5157': 1, '5152': 1 } }, tempStateDir(), { kind: 'beginning' }, 50);
    agent.sink.flushDelayMs = 5;
    await waitFor(() => agent.exportedIds().length === 1500, 40_000);
    const stats = await agent.bridge.syntheticStats();
    await agent.stop();
    assert.deepEqual(agent.exportedIds(), range(1, 1500));
    assert.ok(stats.ok);
    assert.equal(stats.value.visits, 1500, 'no walk was restarted');
    assert.equal(stats.value.subscriptions, 1);
    assert.ok(!agent.events.some((e) => e.kind === 'paused'), 'the real queue blocks, it does not pause');
  });

  it('wrapped while stopped: the loss range is reported and reading resumes AT the oldest record', { timeout: 60_000 }, async () => {
    const dir = tempStateDir();
    const first = startRealAgent({ firstId: 100, backlog: 10 }, dir, { kind: 'beginning' });
    await waitFor(() => savedRecordId(dir) === 109, 20_000);
    await first.stop();
    // The same log later: 100..159 written, wrapped so that 130 is the oldest.
    const second = startRealAgent({ firstId: 100, backlog: 60, wrapAt: 159, wrapOldest: 130 }, dir);
    await waitFor(() => second.exportedIds().length === 30, 20_000);
    await second.stop();
    const loss = losses(second);
    assert.equal(loss.length, 1);
    assert.ok(loss[0]!.kind === 'possible-loss');
    assert.deepEqual([loss[0]!.reason, loss[0]!.possiblyLost], ['overwritten', 20]);
    assert.match(loss[0]!.detail, /records 110\.\.129 were read: up to 20 records/);
    assert.deepEqual(second.exportedIds(), range(130, 159), 'the oldest surviving record (130) is read, not skipped');
  });

  it('cleared while stopped: reported as cleared, the new log read from its 1102, the checkpoint follows', { timeout: 60_000 }, async () => {
    const dir = tempStateDir();
    const first = startRealAgent({ firstId: 304380, backlog: 10 }, dir, { kind: 'beginning' });
    await waitFor(() => savedRecordId(dir) === 304389, 20_000);
    await first.stop();
    // Cleared after record 304395 (unread), then 1 (the 1102) .. 5.
    const second = startRealAgent({ firstId: 304380, backlog: 21, clearAfter: 304395 }, dir);
    await waitFor(() => second.exportedIds().length === 5, 20_000);
    await waitFor(() => savedRecordId(dir) === 5, 10_000);
    await second.stop();
    const loss = losses(second);
    assert.equal(loss.length, 1);
    assert.ok(loss[0]!.kind === 'possible-loss');
    assert.deepEqual([loss[0]!.reason, loss[0]!.possiblyLost], ['cleared', null]);
    assert.match(loss[0]!.detail, /cleared after record 304389/);
    assert.deepEqual(second.exportedIds(), range(1, 5));
    assert.ok(second.events.some((e) => e.kind === 'log-cleared' && e.recordId === 1));
  });

  it('cleared under a running agent: reported, reading goes on in the new numbering, the position never stays above it', { timeout: 60_000 }, async () => {
    const dir = tempStateDir();
    // 20 old records at once; from 1.5 s on, 200/s: the clear after record 20 (1102 = record 1), then 2..40.
    const agent = startRealAgent({ firstId: 1, backlog: 20, rate: 200, startUnixMs: Date.now() + 1500, clearAfter: 20, count: 60 }, dir, { kind: 'beginning' });
    await waitFor(() => agent.exportedIds().length === 60, 30_000);
    await waitFor(() => savedRecordId(dir) === 40, 10_000);
    await agent.stop();
    assert.deepEqual(agent.exportedIds(), [...range(1, 20), ...range(1, 40)]);
    assert.ok(agent.events.some((e) => e.kind === 'log-cleared' && e.recordId === 1));
    assert.ok(agent.events.some((e) => e.kind === 'numbering-restarted' && e.fromRecordId === 20));
    assert.equal(losses(agent).length, 0, 'a clear under a running agent that had read everything is not a loss');
  });
});
