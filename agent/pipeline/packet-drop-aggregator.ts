// Packet drops of one window, tallied per summary key (telemetry/summary-records.ts `packetDropKey`). Memory is
// bounded by `maxKeys`: drops of further keys are tallied together as the window's overflow.
import type { TelemetryRecord } from '../telemetry/index.ts';
import { addToTally, packetDropKey, startTally, toPacketDropOverflowRecord, toPacketDropSummaryRecord } from '../telemetry/index.ts';
import type { WindowTally } from '../telemetry/index.ts';

export type AggregateVerdict = 'aggregated' | 'overflow';

export interface PacketDropAggregator {
  /** Count one packet-drop record into its key's tally, or into the overflow when the keys are full. */
  add(record: TelemetryRecord): AggregateVerdict;
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
  return {
    get keys() {
      return tallies.size;
    },
    get events() {
      return events;
    },
    add(record) {
      events++;
      const key = packetDropKey(record);
      const known = tallies.get(key);
      if (known !== undefined) {
        addToTally(known.tally, record);
        return 'aggregated';
      }
      if (tallies.size < maxKeys) {
        tallies.set(key, { first: record, tally: startTally(record) });
        return 'aggregated';
      }
      if (overflow === null) overflow = { first: record, tally: startTally(record) };
      else addToTally(overflow.tally, record);
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
