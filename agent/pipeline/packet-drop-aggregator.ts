// Packet drops of one window, tallied per summary key (telemetry/summary-records.ts `packetDropKey`). Memory is
// bounded by `maxKeys`: drops of further keys are tallied together as the window's overflow. Only the first
// drop of a key has its record built (the summary copies it); the others are counted from the event alone.
import type { TelemetryRecord } from '../telemetry/index.ts';
import { addToTally, packetDropKey, startTally, toPacketDropOverflowRecord, toPacketDropSummaryRecord } from '../telemetry/index.ts';
import type { WindowTally } from '../telemetry/index.ts';
import type { ProcessedEvent } from './event-pipeline.ts';

export type AggregateVerdict = 'aggregated' | 'overflow';

export interface PacketDropAggregator {
  /** Count one packet drop into its key's tally, or into the overflow when the keys are full. */
  add(drop: ProcessedEvent): AggregateVerdict;
  /** Keys tallied in this window. */
  readonly keys: number;
  /** Events tallied in this window (overflow included). */
  readonly events: number;
  /** The window's summary records (keys in first-seen order, then the overflow), and a fresh window. */
  drain(windowS: number): TelemetryRecord[];
}

export function createPacketDropAggregator(maxKeys: number): PacketDropAggregator {
  let tallies = new Map<string, { first: TelemetryRecord; tally: WindowTally }>();
  let overflow: { first: TelemetryRecord; tally: WindowTally } | null = null;
  let events = 0;
  const start = (drop: ProcessedEvent): { first: TelemetryRecord; tally: WindowTally } => ({
    first: drop.record,
    tally: startTally(drop.event.raw.time, drop.event.raw.recordId),
  });
  return {
    get keys() {
      return tallies.size;
    },
    get events() {
      return events;
    },
    add(drop) {
      events++;
      const key = packetDropKey(drop.event, drop.enrichment);
      const known = tallies.get(key);
      if (known !== undefined) {
        addToTally(known.tally, drop.event.raw.time);
        return 'aggregated';
      }
      if (tallies.size < maxKeys) {
        tallies.set(key, start(drop));
        return 'aggregated';
      }
      if (overflow === null) overflow = start(drop);
      else addToTally(overflow.tally, drop.event.raw.time);
      return 'overflow';
    },
    drain(windowS) {
      const out: TelemetryRecord[] = [];
      for (const { first, tally } of tallies.values()) out.push(toPacketDropSummaryRecord(first, tally, windowS));
      if (overflow !== null) out.push(toPacketDropOverflowRecord(overflow.first, overflow.tally, windowS, maxKeys));
      tallies = new Map();
      overflow = null;
      events = 0;
      return out;
    },
  };
}
