// Where processed events go. The live pump and `replay` only see this interface; the OTel-backed
// implementation (logs + metrics providers and their exporters) lives beside it.
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import type { TelemetryRecord } from '../telemetry/index.ts';

export type FlushResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly retryInMs?: number; readonly error: string };

export interface TelemetrySink {
  /**
   * Take one processed event: its log record (null when the event is only counted, e.g. packet drops in
   * `count` mode) and the event itself for the metric counters. Synchronous and never throws.
   */
  emit(event: WfpEvent, enrichment: EventEnrichment, record: TelemetryRecord | null): void;
  /** Take a log record that stands for no single event (flood control's summaries); no metrics. Never throws. */
  emitRecord(record: TelemetryRecord): void;
  /**
   * Export everything emitted so far; resolves once the backends acknowledged it, or with why not. `'logs'`
   * sends only the log records and leaves the metrics to their next push (a replay flushes logs chunk by chunk
   * and everything once at the end, rather than pushing every metric series again per chunk).
   */
  flush(what?: 'all' | 'logs'): Promise<FlushResult>;
  /** Flush and release everything; idempotent. */
  shutdown(): Promise<void>;
  /** The machine's host.id in the sink's resource, when known (live events are named by it in log.record.uid). */
  readonly hostId?: string;
}
