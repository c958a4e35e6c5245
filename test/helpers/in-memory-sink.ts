// A TelemetrySink that keeps everything in memory, with failure modes for the live-pump contract tests.
//
// Contract it implements (the one the pump relies on): flush() exports everything emitted and not yet
// acknowledged; a failed retryable flush keeps those records, and the next flush offers them again (a
// non-retryable one discards them: the backend refused them for good).
import type { FlushResult, TelemetrySink } from '../../agent/export/index.ts';
import type { WfpEvent } from '../../agent/interpret/index.ts';
import type { EventEnrichment } from '../../agent/enrich/index.ts';
import type { TelemetryRecord } from '../../agent/telemetry/index.ts';

export interface Emitted {
  readonly event: WfpEvent;
  readonly enrichment: EventEnrichment;
  readonly record: TelemetryRecord | null;
}

export interface InMemorySink extends TelemetrySink {
  /** Acknowledged by a successful flush, in order (duplicates kept: an at-least-once pipeline may repeat). */
  readonly exported: Emitted[];
  /** Emitted, not yet acknowledged. */
  readonly pending: Emitted[];
  /** Records that stand for no single event (emitRecord: flood control's summaries), acknowledged / not yet. */
  readonly exportedRecords: TelemetryRecord[];
  readonly pendingRecords: TelemetryRecord[];
  flushCalls: number;
  /** What each flush was asked to send, in order. */
  readonly flushes: ('all' | 'logs')[];
  /** While set, every flush fails with this result (an outage). */
  failing: FlushResult | null;
  /** The next n flushes fail with `failing ?? a retryable outage`. */
  failNext(n: number, result?: FlushResult): void;
  /** Each flush waits this long before answering (a slow backend). */
  flushDelayMs: number;
  /** Resolved when a flush is entered; lets a test stop the pump in the middle of a flush. */
  onFlush: (() => void) | null;
  shutdownCalls: number;
}

export const OUTAGE: FlushResult = { ok: false, retryable: true, error: 'connect ECONNREFUSED 127.0.0.1:4318' };
export const REJECTED: FlushResult = { ok: false, retryable: false, error: 'HTTP 400 Bad Request' };

export function createInMemorySink(): InMemorySink {
  let failCount = 0;
  let failResult: FlushResult = OUTAGE;
  const sink: InMemorySink = {
    exported: [],
    pending: [],
    exportedRecords: [],
    pendingRecords: [],
    flushCalls: 0,
    flushes: [],
    failing: null,
    flushDelayMs: 0,
    onFlush: null,
    shutdownCalls: 0,
    failNext(n, result = OUTAGE) {
      failCount = n;
      failResult = result;
    },
    emit(event, enrichment, record) {
      sink.pending.push({ event, enrichment, record });
    },
    emitRecord(record) {
      sink.pendingRecords.push(record);
    },
    async flush(what = 'all') {
      sink.flushCalls++;
      sink.flushes.push(what);
      sink.onFlush?.();
      if (sink.flushDelayMs > 0) await new Promise((r) => setTimeout(r, sink.flushDelayMs));
      const failure = sink.failing ?? (failCount > 0 ? (failCount--, failResult) : null);
      if (failure !== null) {
        // Rejected for good: the backend will never take these; an outage keeps them for the next flush.
        if (!failure.ok && !failure.retryable) {
          sink.pending.length = 0;
          sink.pendingRecords.length = 0;
        }
        return failure;
      }
      sink.exported.push(...sink.pending.splice(0));
      sink.exportedRecords.push(...sink.pendingRecords.splice(0));
      return { ok: true };
    },
    async shutdown() {
      sink.shutdownCalls++;
      await sink.flush();
    },
  };
  return sink;
}
