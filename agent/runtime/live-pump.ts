// The live loop: source → pipeline → TelemetrySink → ack, one batch at a time.
//
//   read(batch) ──► process each item ──► sink.emit ──► sink.flush() ──ok──► source.ack(last record id)
//                                                          └─failed─► back off, flush again (no read meanwhile)
//
// The checkpoint write of a batch runs while the next batch is read and processed (decoded, interpreted, enriched:
// most of the CPU), and is awaited before anything of that batch reaches the sink, so a crash still re-sends at
// most one batch. Waiting for the write first (fsync, ~3 ms on the bench VM) kept the serial loop from keeping up
// with 20,000 events/s in log mode.
//
// The checkpoint advances only after flush() succeeded, so an outage replays rather than loses: while the
// exporter is down nothing more is read (the bridge stops, the event log keeps the events), and after a crash
// at most one batch is exported twice. A flush the exporter rejects for good (not retryable) drops the batch
// with a counted reason instead of blocking forever. Stop: the batch in hand gets one last flush; acknowledged
// only if it succeeds. Records that cannot be decoded are dropped, counted, and named in one line per batch (a
// line per record would let a stream of bad records flood the service log).
//
// Metrics go with a batch's flush at most once per METRICS_PUSH_EVERY_MS (1 s); the other batches
// flush only their log records. Pushing every metric series with every batch cost ~8% of a core at 20,000
// events/s (78 pushes a second, bench:flood), and as many requests per agent on the metrics backend. The
// metrics stay exact across an outage (a push that fails keeps the pump paused like a log export); a crash
// (kill -9) can lose the counts of at most the last interval, which a cumulative backend sees as a reset.
//
// While a flood-control window holds the checkpoint, a batch is not flushed on its own: the checkpoint could not
// move anyway, so batches are exported together every HELD_FLUSH_EVERY_MS or once a batch's worth of log records
// waits (and at an idle read, a window's close and stop). In a packet-drop flood that is ~4 export requests a
// second instead of one per 256 events (bench:flood at 20,000 events/s: 154 requests in 40 s against 3,126, each
// of those carrying one or two records), at most HELD_FLUSH_EVERY_MS more latency for the records logged.
//
// Flood control (optional, pipeline/flood-control.ts): packet-drop summaries and rate-limit counts are emitted
// when their window closes (checked after every batch and every empty read) and at stop. Until then the ack is
// held just before the first event the open window counted, so the checkpoint never passes a count that was
// not exported; it catches up with the flush that carries the window's records.
import type { RecordSource, SourceItem } from '../source/index.ts';
import type { TelemetrySink } from '../export/index.ts';
import type { FloodControl, PipelineOutcome, ProcessedEvent } from '../pipeline/index.ts';
import type { TelemetryRecord } from '../telemetry/index.ts';
import { formatDecodeError } from '../decode/index.ts';
import type { PumpMetrics } from './pump-metrics.ts';
import { createBackoff } from './backoff.ts';

/** Metrics go with a batch's export only when this long has passed since their last push (milliseconds). */
export const METRICS_PUSH_EVERY_MS = 1000;

/** How long batches read while a window holds the checkpoint may wait for their export (milliseconds). */
export const HELD_FLUSH_EVERY_MS = 250;

/** Record ids an undecodable-records line names (one line per batch, so a stream of bad records stays bounded). */
export const UNDECODABLE_IDS_PER_LINE = 20;

export type ItemProcessor = (item: SourceItem) => PipelineOutcome;
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface LivePumpOptions {
  readonly source: RecordSource;
  readonly process: ItemProcessor;
  readonly sink: TelemetrySink;
  readonly metrics: PumpMetrics;
  readonly batchSize: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** One line per condition (capitalized sentence, ending with a period). */
  readonly log?: (line: string) => void;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Aggregation and rate limits; without it every event the pipeline logs is sent (and `aggregated` ones too). */
  readonly flood?: FloodControl;
  /** Milliseconds for flood control's windows and rate limits, and the metrics interval (default Date.now). */
  readonly clock?: () => number;
}

export interface PumpSummary {
  readonly read: number;
  readonly acknowledged: number;
  readonly dropped: number;
  readonly flushFailures: number;
  /** The last acknowledged record id (or replay position), null when none. */
  readonly lastAcknowledged: number | null;
}

export interface LivePump {
  /** Runs until the source is done or `signal` aborts; never rejects for a source or sink failure. */
  run(signal: AbortSignal): Promise<PumpSummary>;
}

export function createLivePump(options: LivePumpOptions): LivePump {
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? abortableSleep;
  const backoff = createBackoff({ initialMs: options.backoffInitialMs, maxMs: options.backoffMaxMs, ...(options.random ? { random: options.random } : {}) });
  const { source, sink, metrics, flood } = options;
  const clock = options.clock ?? Date.now;
  let read = 0;
  /** Position of the last record handed to the sink (flushed or not). */
  let lastRead: number | null = null;
  let acknowledged = 0;
  let dropped = 0;
  let flushFailures = 0;
  let lastAcknowledged: number | null = null;
  let metricsPushedAt = Number.NEGATIVE_INFINITY;
  /** Counts emitted since the last metrics push. */
  let metricsDirty = false;
  /** Items read but not flushed yet (batches deferred while a window holds the checkpoint), and their log records. */
  let unflushed = 0;
  let unflushedRecords = 0;
  let flushedAt = Number.NEGATIVE_INFINITY;

  const flushUntilAcknowledged = async (signal: AbortSignal, count: number): Promise<'ok' | 'rejected' | 'stopped'> => {
    let failing = false;
    for (;;) {
      const now = clock();
      const withMetrics = metricsDirty && now - metricsPushedAt >= METRICS_PUSH_EVERY_MS;
      const result = await sink.flush(withMetrics ? 'all' : 'logs');
      if (result.ok) {
        if (withMetrics) {
          metricsPushedAt = now;
          metricsDirty = false;
        }
        if (failing) log(`Export recovered after ${flushFailures} failed flushes; reading resumes.`);
        backoff.reset();
        return 'ok';
      }
      flushFailures++;
      metrics.error('export');
      if (!result.retryable) {
        log(`The exporter rejected a batch of ${count} records for good; they are dropped. error=${result.error}`);
        metrics.dropped(count, 'export_rejected');
        return 'rejected';
      }
      if (!failing) log(`Export failed; reading pauses until it recovers (the event log keeps the events). error=${result.error}`);
      failing = true;
      // Stopping: the batch in hand had its last attempt; it is not acknowledged and is read again next start.
      if (signal.aborted) return 'stopped';
      await sleep(backoff.next(result.retryInMs), signal);
    }
  };

  /** Checkpoint everything read, except what an open flood-control window still holds. */
  const acknowledge = async (count: number): Promise<void> => {
    if (lastRead === null) return;
    const held = flood?.heldFrom() ?? null;
    const upTo = held === null ? lastRead : Math.min(lastRead, held - 1);
    acknowledged += count;
    if (upTo !== lastAcknowledged && upTo >= 0) {
      await source.ack(upTo);
      lastAcknowledged = upTo;
    }
    if (lastAcknowledged !== null) metrics.acknowledged(count, lastAcknowledged);
  };

  const emitWindow = (records: readonly TelemetryRecord[]): void => {
    for (const r of records) sink.emitRecord(r);
    unflushedRecords += records.length;
  };

  /** The checkpoint write started by the last commit, not awaited yet (its failure is kept for the await). */
  let ackInFlight: Promise<{ error: unknown } | null> | null = null;
  const settleAck = async (): Promise<void> => {
    if (ackInFlight === null) return;
    const outcome = await ackInFlight;
    ackInFlight = null;
    if (outcome !== null) throw outcome.error;
  };

  /** Export what was emitted (the deferred batches too), then start checkpointing them; false when stopped mid-way. */
  const commit = async (signal: AbortSignal): Promise<boolean> => {
    await settleAck();
    const count = unflushed;
    const flushed = await flushUntilAcknowledged(signal, count);
    if (flushed === 'stopped') return false;
    if (flushed === 'rejected') dropped += count;
    unflushed = 0;
    unflushedRecords = 0;
    flushedAt = clock();
    ackInFlight = acknowledge(count).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    return true;
  };

  /** A window closed while nothing was read (or at stop): export its records, then let the checkpoint catch up. */
  const flushWindow = async (records: readonly TelemetryRecord[], signal: AbortSignal): Promise<boolean> => {
    if (records.length === 0 && unflushed === 0) return true;
    await settleAck();
    emitWindow(records);
    return commit(signal);
  };

  const handleBatch = async (items: readonly SourceItem[], signal: AbortSignal): Promise<boolean> => {
    read += items.length;
    metrics.read(items.length);
    let undecodable = 0;
    const undecodableIds: number[] = [];
    let firstUndecodable = '';
    const notLogged = new Map<string, { verdict: 'aggregated' | 'aggregate-overflow' | 'suppressed'; eventId: number; count: number }>();
    const now = clock();
    const processed: { readonly p: ProcessedEvent; readonly logged: boolean }[] = [];
    for (const item of items) {
      const outcome = options.process(item);
      if (!outcome.ok) {
        undecodable++;
        if (firstUndecodable === '') firstUndecodable = formatDecodeError(outcome);
        if (undecodableIds.length < UNDECODABLE_IDS_PER_LINE) undecodableIds.push(item.recordId ?? item.position);
        continue;
      }
      const p = outcome.value;
      const verdict = flood === undefined ? (p.disposition === 'aggregated' ? 'logged' : p.disposition) : flood.offer(p, item.recordId ?? item.position, now);
      if (verdict === 'not-collected') continue;
      processed.push({ p, logged: verdict === 'logged' });
      if (verdict === 'aggregated' || verdict === 'aggregate-overflow' || verdict === 'suppressed') {
        // Counted per batch: one counter add per (reason, event id) instead of one per event in a flood.
        const key = `${verdict} ${p.event.raw.eventId}`;
        const entry = notLogged.get(key);
        if (entry === undefined) notLogged.set(key, { verdict, eventId: p.event.raw.eventId, count: 1 });
        else entry.count++;
      }
    }
    for (const { verdict, eventId, count } of notLogged.values()) metrics.notLogged(verdict, eventId, count);
    if (undecodable > 0) {
      dropped += undecodable;
      metrics.dropped(undecodable, 'undecodable');
      const more = undecodable - undecodableIds.length;
      log(
        `Dropped ${undecodable} undecodable record${undecodable === 1 ? '' : 's'} (counted in records_dropped{reason="undecodable"}): ` +
          `${undecodableIds.join(', ')}${more > 0 ? ` and ${more} more` : ''}. error=${firstUndecodable}`,
      );
    }
    // The previous batch's checkpoint write ran meanwhile; it is durable before any of this batch can be exported.
    await settleAck();
    for (const { p, logged } of processed) {
      metricsDirty = true;
      if (logged) unflushedRecords++;
      sink.emit(p.event, p.enrichment, logged ? p.record : null);
    }
    if (flood !== undefined) emitWindow(flood.closeDue(now));
    const last = items[items.length - 1]!;
    lastRead = last.recordId ?? last.position;
    unflushed += items.length;
    const held = flood !== undefined && flood.heldFrom() !== null;
    if (held && !signal.aborted && unflushedRecords < options.batchSize && clock() - flushedAt < HELD_FLUSH_EVERY_MS) return true;
    return commit(signal);
  };

  return {
    async run(signal) {
      try {
        let exportFailing = false;
        while (!signal.aborted) {
          const batch = await source.read(options.batchSize, signal);
          if (batch.items.length > 0 && !(await handleBatch(batch.items, signal))) {
            exportFailing = true;
            break;
          }
          // Nothing to read: a window that closed and the deferred batches go out now.
          if (batch.items.length === 0 && !(await flushWindow(flood?.closeDue(clock()) ?? [], signal))) {
            exportFailing = true;
            break;
          }
          // Nothing to read: the counts of the last batches go out now rather than at the reader's next interval.
          if (batch.items.length === 0 && metricsDirty && clock() - metricsPushedAt >= METRICS_PUSH_EVERY_MS) await flushUntilAcknowledged(signal, 0);
          if (batch.done) break;
        }
        // Stop or end of input: the open window goes out now (one last flush), so nothing counted is lost. When the
        // batch in hand just failed its last flush, the window is not tried again: the checkpoint stays before it,
        // and the next start reads and counts those events again.
        if (!exportFailing) await flushWindow(flood?.closeAll() ?? [], signal);
      } catch (error) {
        log(`The live pump stopped on an unexpected error. error=${(error as Error).message}`);
      } finally {
        // The last checkpoint write finishes before the source (and its checkpoint store) shuts down.
        const last = ackInFlight === null ? null : await ackInFlight;
        ackInFlight = null;
        if (last !== null) log(`The live pump stopped on an unexpected error. error=${(last.error as Error).message}`);
        await source.shutdown();
      }
      return { read, acknowledged, dropped, flushFailures, lastAcknowledged };
    },
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
