// Counts each event on its counter (metric-instruments.ts) with its attributes (metric-attributes.ts).
// The Meter is injected: the global one by default, the sink's own in the agent and in tests.
import type { Counter, Meter } from '@opentelemetry/api';
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import { METRIC_DEFINITIONS } from './metric-instruments.ts';
import { createMetricAttributeMapper } from './metric-attributes.ts';

export interface MetricRecorder {
  /** Add 1 to the event's counter; events without a counter are ignored. Never throws. */
  record(event: WfpEvent, enrichment: EventEnrichment): void;
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
  return {
    record(event, enrichment) {
      const target = byEventId.get(event.body.eventId);
      if (target === undefined) return;
      target.counter.add(1, mapper.attributesFor(target.name, event, enrichment));
    },
  };
}
