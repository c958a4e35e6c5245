// Flood control between the pipeline and the sink (agent/README.md "Flood control"): packet drops in
// `aggregate` mode are tallied per key, and records over `events.rate_limits` are counted per id, in one window
// of `events.aggregate_window_s`. When the window closes its records are emitted: a summary per key, an
// overflow summary when keys ran out, one `wfp.events.suppressed` per limited id.
//
// Pure and clock-injected: every call takes `nowMs` (wall clock live, event time on replay). `heldFrom()` is the
// position of the first event the open window counted: the checkpoint must stay before it until the window's
// records are exported, so a crash re-reads those events instead of losing their count.
import type { EventsConfig } from '../config/index.ts';
import type { TelemetryRecord } from '../telemetry/index.ts';
import { addToTally, startTally, toSuppressedRecord } from '../telemetry/index.ts';
import type { WindowTally } from '../telemetry/index.ts';
import type { ProcessedEvent } from './event-pipeline.ts';
import { createPacketDropAggregator } from './packet-drop-aggregator.ts';
import { createRateLimiter } from './rate-limiter.ts';

/**
 * - `logged`: send the record; `counted` / `not-collected`: the pipeline's disposition, passed through;
 * - `aggregated`: counted into a summary; `aggregate-overflow`: into the window's overflow summary;
 * - `suppressed`: over its rate limit, counted into the window's `wfp.events.suppressed` record.
 * Everything but `not-collected` is still counted in metrics.
 */
export type FloodVerdict = 'logged' | 'counted' | 'not-collected' | 'aggregated' | 'aggregate-overflow' | 'suppressed';

export interface FloodControl {
  offer(p: ProcessedEvent, position: number, nowMs: number): FloodVerdict;
  /** The window's records when it is due (open for `aggregate_window_s`), else []. */
  closeDue(nowMs: number): TelemetryRecord[];
  /** Close the window now (stop, end of replay): nothing counted is left behind. */
  closeAll(): TelemetryRecord[];
  /** Position of the first event counted by the open window; null when nothing is held. */
  heldFrom(): number | null;
}

export type FloodSettings = Pick<EventsConfig, 'aggregate_window_s' | 'aggregate_max_keys' | 'rate_limits'>;

/** False when the config needs none (no aggregate mode, no rate limits): events then go through as before. */
export function needsFloodControl(events: EventsConfig): boolean {
  return events.packet_drops === 'aggregate' || Object.keys(events.rate_limits).length > 0;
}

/**
 * A closing window emits up to `aggregate_max_keys` summaries (+1 overflow, + one per rate-limited id) beside what
 * waits for export: while a window holds the checkpoint the live pump exports batches together, up to a batch's
 * worth of log records plus the batch in hand (runtime/live-pump.ts). All of it goes in one flush: more than the
 * export queue holds would be dropped. The problem, or null.
 */
export function floodQueueProblem(events: EventsConfig, batchSize: number, maxQueueSize: number): string | null {
  if (!needsFloodControl(events)) return null;
  const keys = events.packet_drops === 'aggregate' ? events.aggregate_max_keys + 1 : 0;
  // One record per possible event id beside the keys and their overflow: 16 ids can be collected.
  const worst = 2 * batchSize + keys + 16;
  if (worst <= maxQueueSize) return null;
  return events.packet_drops === 'aggregate'
    ? `events.aggregate_max_keys (${events.aggregate_max_keys}) plus two batches (2 × ${batchSize}) must fit in ` +
        `exporters.batch.max_queue_size (${maxQueueSize}) with 17 to spare; lower the one or raise the other.`
    : `With events.rate_limits, two batches (2 × ${batchSize}) must fit in exporters.batch.max_queue_size ` +
        `(${maxQueueSize}) with 16 to spare; lower source.batch_size or raise the queue.`;
}

export function createFloodControl(settings: FloodSettings): FloodControl {
  const windowS = settings.aggregate_window_s;
  const windowMs = windowS * 1000;
  const limiter = createRateLimiter(settings.rate_limits);
  const drops = createPacketDropAggregator(settings.aggregate_max_keys);
  let suppressed = new Map<number, { first: TelemetryRecord; tally: WindowTally }>();
  let openedAt: number | null = null;
  let held: number | null = null;

  const hold = (position: number, nowMs: number): void => {
    openedAt ??= nowMs;
    held ??= position;
  };
  const close = (): TelemetryRecord[] => {
    const out = drops.drain(windowS);
    for (const [eventId, s] of suppressed) out.push(toSuppressedRecord(eventId, s.first, s.tally, windowS, limiter.limitFor(eventId) ?? 0));
    suppressed = new Map();
    openedAt = null;
    held = null;
    return out;
  };

  return {
    offer(p, position, nowMs) {
      if (p.disposition === 'aggregated') {
        hold(position, nowMs);
        return drops.add(p) === 'aggregated' ? 'aggregated' : 'aggregate-overflow';
      }
      if (p.disposition !== 'logged') return p.disposition;
      const eventId = p.event.raw.eventId;
      if (limiter.admit(eventId, nowMs)) return 'logged';
      hold(position, nowMs);
      const known = suppressed.get(eventId);
      if (known !== undefined) addToTally(known.tally, p.event.raw.time);
      else suppressed.set(eventId, { first: p.record, tally: startTally(p.event.raw.time, p.event.raw.recordId) });
      return 'suppressed';
    },
    closeDue(nowMs) {
      // A clock set back by more than a window closes it too, rather than holding the checkpoint for long.
      if (openedAt === null || Math.abs(nowMs - openedAt) < windowMs) return [];
      return close();
    },
    closeAll: close,
    heldFrom: () => held,
  };
}
