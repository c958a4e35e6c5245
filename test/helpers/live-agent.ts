// Wires the real live path for contract tests: fake bridge → Windows source → real pipeline → in-memory sink,
// with a real checkpoint store in a temp folder.
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../agent/config/index.ts';
import type { AgentConfig } from '../../agent/config/index.ts';
import { createBasicEnricher } from '../../agent/enrich/index.ts';
import { createEventPipeline, createFloodControl, needsFloodControl } from '../../agent/pipeline/index.ts';
import { createCheckpointStore } from '../../agent/checkpoint/index.ts';
import type { CheckpointFs } from '../../agent/checkpoint/index.ts';
import { openWindowsEventLogSource } from '../../agent/source/index.ts';
import type { SourceEvent, StartPosition } from '../../agent/source/index.ts';
import { createLivePump, createPumpMetrics } from '../../agent/runtime/index.ts';
import type { PumpMetrics, PumpSummary } from '../../agent/runtime/index.ts';
import type { MeterProvider } from '@opentelemetry/api';
import { FakeBridge, stopFakeBridges } from './fake-bridge.ts';
import type { FakeSecurityLog } from './fake-bridge.ts';
import { createInMemorySink } from './in-memory-sink.ts';
import type { InMemorySink } from './in-memory-sink.ts';
import { fixture } from './fixtures.ts';

export const CONFIG = loadConfig(undefined);
export const EVENT_IDS = [5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102];

export function msDocs(id: number): string {
  return readFileSync(fixture('ms-docs', `event-${id}.xml`), 'utf8');
}

/** `count` block events cycling through the ms-docs samples the default config collects. */
export function blockEvents(count: number): string[] {
  const samples = [5157, 5152, 5155, 5159, 5031].map(msDocs);
  return Array.from({ length: count }, (_, i) => samples[i % samples.length]!);
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'wfp-live-'));
}

export interface LiveAgentOptions {
  readonly log: FakeSecurityLog;
  readonly stateDir: string;
  readonly sink?: InMemorySink;
  readonly start?: StartPosition;
  readonly batchSize?: number;
  readonly fs?: CheckpointFs;
  readonly meterProvider?: MeterProvider;
  /** Default: the bundled config. Flood control is wired as `wfp-agent run` wires it. */
  readonly config?: AgentConfig;
  /** Flood control's clock (default Date.now). */
  readonly clock?: () => number;
}

export interface LiveAgent {
  readonly bridge: FakeBridge;
  readonly sink: InMemorySink;
  readonly events: SourceEvent[];
  readonly lines: string[];
  readonly metrics: PumpMetrics;
  readonly controller: AbortController;
  /** Resolves when the pump ended (null when the source did not open). */
  readonly done: Promise<PumpSummary | null>;
  readonly openError: Promise<string | null>;
  /** Record ids the sink acknowledged, in order. */
  exportedIds(): number[];
  stop(): Promise<PumpSummary | null>;
}

export function startLiveAgent(options: LiveAgentOptions): LiveAgent {
  const bridge = new FakeBridge(options.log);
  const sink = options.sink ?? createInMemorySink();
  const events: SourceEvent[] = [];
  const lines: string[] = [];
  const metrics = createPumpMetrics(options.meterProvider);
  const controller = new AbortController();
  const batchSize = options.batchSize ?? 10;
  const config = options.config ?? CONFIG;
  const pipeline = createEventPipeline(config, { enricher: createBasicEnricher() });
  let resolveOpen: (error: string | null) => void = () => undefined;
  const openError = new Promise<string | null>((r) => (resolveOpen = r));
  const done = (async (): Promise<PumpSummary | null> => {
    const opened = await openWindowsEventLogSource({
      bridge,
      checkpoint: createCheckpointStore({ dir: options.stateDir, ...(options.fs ? { fs: options.fs } : {}) }),
      eventIds: EVENT_IDS,
      start: options.start ?? { kind: 'checkpoint' },
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
    if (!opened.ok) {
      resolveOpen(opened.error);
      return null;
    }
    resolveOpen(null);
    const pump = createLivePump({
      source: opened.value,
      process: (item) => pipeline.process(item),
      sink,
      metrics,
      batchSize,
      backoffInitialMs: 5,
      backoffMaxMs: 20,
      log: (line) => lines.push(line),
      ...(needsFloodControl(config.events) ? { flood: createFloodControl(config.events) } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return pump.run(controller.signal);
  })();
  const agent: LiveAgent = {
    bridge,
    sink,
    events,
    lines,
    metrics,
    controller,
    done,
    openError,
    exportedIds: () => sink.exported.map((e) => e.event.raw.recordId ?? -1),
    async stop() {
      runningAgents.delete(agent);
      controller.abort();
      return done;
    },
  };
  runningAgents.add(agent);
  return agent;
}

const runningAgents = new Set<LiveAgent>();

/**
 * For `afterEach`: stop what a failed test left running (its own `stop()` was never reached), so the failure
 * is reported instead of the fake bridge's timer keeping the test file alive. A pump that does not end within
 * `graceMs` has its bridge stopped under it.
 */
export async function stopLiveAgents(graceMs = 2000): Promise<void> {
  const left = [...runningAgents];
  runningAgents.clear();
  await Promise.all(
    left.map(async (agent) => {
      agent.controller.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([agent.done.catch(() => null), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
    }),
  );
  await stopFakeBridges();
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
