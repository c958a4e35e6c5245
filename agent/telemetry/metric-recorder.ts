// Counts each event on its counter (metric-instruments.ts) with its attributes (metric-attributes.ts).
// The Meter is injected: the global one by default, the sink's own in the agent and in tests.
import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import { METRIC_DEFINITIONS } from './metric-instruments.ts';
import { createMetricAttributeMapper } from './metric-attributes.ts';

export interface MetricRecorder {
  /**
   * Count the event on its counter; events without a counter are ignored. Never throws. The counts are
   * coalesced per attribute set and reach the SDK at `flushPending()`: the SDK hashes the attributes of every
   * add (sorted keys, JSON), ~13% of the agent's JavaScript time in a packet-drop flood (bench:flood), while a
   * flood repeats a handful of attribute sets.
   */
  record(event: WfpEvent, enrichment: EventEnrichment): void;
  /** Hand the coalesced counts to the counters (before every metric collection: the sink's flush and shutdown). */
  flushPending(): void;
}

export interface MetricRecorderOptions {
  readonly appCardinalityLimit: number;
}

export function createMetricRecorder(meter: Meter, options: MetricRecorderOptions): MetricRecorder {
  const mapper = createMetricAttributeMapper(options.appCardinalityLimit);
  // Counters are created once and indexed by event id, so `record` is one Map lookup plus the SDK's add.
  const byEventId = new Map<number, { name: string; counter: Counter }>();
  for (const d of METRIC_DEFINITIONS) {
    const counter = meter.createCounter(d.name, { unit: d.unit, description: d.description });
    for (const id of d.eventIds) byEventId.set(id, { name: d.name, counter });
  }
  // Counter → attribute-set key → count. The key is the attributes' keys and values in their order: the same
  // set built in another order only makes a second entry, which the SDK adds to the same series.
  const pending = new Map<Counter, Map<string, { attributes: Attributes; count: number }>>();
  return {
    record(event, enrichment) {
      const target = byEventId.get(event.body.eventId);
      if (target === undefined) return;
      const attributes = mapper.attributesFor(target.name, event, enrichment);
      let key = '';
      for (const k in attributes) key += `${k}\u0000${String(attributes[k])}\u0001`;
      let sets = pending.get(target.counter);
      if (sets === undefined) pending.set(target.counter, (sets = new Map()));
      const entry = sets.get(key);
      if (entry === undefined) sets.set(key, { attributes, count: 1 });
      else entry.count++;
    },
    flushPending() {
      for (const [counter, sets] of pending) for (const { attributes, count } of sets.values()) counter.add(count, attributes);
      pending.clear();
    },
  };
}
