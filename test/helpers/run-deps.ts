// RunDeps for `wfp-agent run` in tests: Windows, no enrichment catalog, no audit, the global meter provider, a
// stop that never comes, and a bridge and sink only when the test gives them. Tests override what they exercise.
import { metrics as otelMetrics } from '@opentelemetry/api';
import type { RunDeps } from '../../agent/cli/commands/run-command.ts';
import type { BridgeHost } from '../../agent/bridge/index.ts';
import { createBasicEnricher } from '../../agent/enrich/index.ts';
import type { TelemetrySink } from '../../agent/export/index.ts';
import { createInMemorySink } from './in-memory-sink.ts';

export function testRunDeps(overrides: Partial<RunDeps> = {}): RunDeps {
  return {
    platform: 'win32',
    openBridge: async () => ({ ok: false, error: 'no bridge in this test' }),
    createSink: async () => ({ ok: true, value: createInMemorySink() }),
    createEnrichment: () => ({ ok: true, value: { enricher: createBasicEnricher(), start: async () => undefined, shutdown: async () => undefined } }),
    createAudit: () => ({ ok: true, value: null }),
    meterProvider: () => otelMetrics.getMeterProvider(),
    stopSignal: () => new AbortController().signal,
    ...overrides,
  };
}

/** testRunDeps with this bridge and this sink. */
export function runDepsWith(bridge: BridgeHost, sink: TelemetrySink, overrides: Partial<RunDeps> = {}): RunDeps {
  return testRunDeps({ openBridge: async () => ({ ok: true, value: bridge }), createSink: async () => ({ ok: true, value: sink }), ...overrides });
}
