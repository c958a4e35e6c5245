// One event through the pure middle of the agent:
//
//   SourceItem ──► decode ──► interpret ──► enrich ──► record contract ──► (sink: logs + metrics)
//
// The live pump, `replay`, `demo` and `explain` all call this, so what `explain` prints is what is exported.
import type { AgentConfig } from '../config/index.ts';
import type { SourceItem } from '../source/index.ts';
import { decodeItem } from '../decode/index.ts';
import type { DecodeError, RawRecord } from '../decode/index.ts';
import { createInterpreter } from '../interpret/index.ts';
import type { Interpreter, WfpEvent } from '../interpret/index.ts';
import type { Enricher, EventEnrichment } from '../enrich/index.ts';
import { toTelemetryRecord } from '../telemetry/index.ts';
import type { RecordOptions, TelemetryRecord } from '../telemetry/index.ts';
import { collectedEventIds } from './collected-event-ids.ts';

/**
 * - `logged`: exported as a log record and counted in metrics;
 * - `aggregated`: packet drops in `aggregate` mode: counted in metrics and in a summary record per key and
 *   window (flood-control.ts), not sent alone;
 * - `counted`: metrics only (packet drops in `count` mode, routine blocks kept out of the logs);
 * - `not-collected`: the config does not collect this event id: neither logged nor counted.
 */
export type Disposition = 'logged' | 'aggregated' | 'counted' | 'not-collected';

export interface ProcessedEvent {
  readonly event: WfpEvent;
  readonly enrichment: EventEnrichment;
  /**
   * What is exported; built on first read (only `logged` ones are sent, `explain` reads it for every event, a
   * packet drop counted into a summary never needs its own: building it was 15% of the CPU in a flood).
   */
  readonly record: TelemetryRecord;
  readonly disposition: Disposition;
}

export type PipelineOutcome = { readonly ok: true; readonly value: ProcessedEvent } | DecodeError;

export interface EventPipelineDeps {
  readonly enricher: Enricher;
  /** Extra say on whether an enriched event is logged (the attribution work's routine-block switch). */
  readonly shouldLog?: (event: WfpEvent, enrichment: EventEnrichment) => boolean;
  /** This machine's host.id, when the events are its own (the live source): names them in `log.record.uid`. */
  readonly hostId?: string;
}

export interface EventPipeline {
  process(item: SourceItem): PipelineOutcome;
  /** Interpret an already decoded record (sources that decode themselves, tests). */
  processRecord(raw: RawRecord): ProcessedEvent;
  /** Learn host addresses from an item without processing it (replay pre-pass). */
  learn(item: SourceItem): void;
  readonly interpreter: Interpreter;
}

/**
 * A class with the record built by a prototype getter: an object literal with a getter closure per event made
 * the flood bench slower and its heap twice as large (cpu 65-74% against 60%, heap used 92-101 MB against 57).
 */
class LazyProcessedEvent implements ProcessedEvent {
  readonly event: WfpEvent;
  readonly enrichment: EventEnrichment;
  readonly disposition: Disposition;
  readonly #options: RecordOptions;
  #record: TelemetryRecord | null = null;

  constructor(event: WfpEvent, enrichment: EventEnrichment, disposition: Disposition, options: RecordOptions) {
    this.event = event;
    this.enrichment = enrichment;
    this.disposition = disposition;
    this.#options = options;
  }

  get record(): TelemetryRecord {
    this.#record ??= toTelemetryRecord(this.event, this.enrichment, this.#options);
    return this.#record;
  }
}

export function createEventPipeline(config: AgentConfig, deps: EventPipelineDeps): EventPipeline {
  const interpreter = createInterpreter(config.network);
  const collected = collectedEventIds(config.events);
  const countOnlyPackets = config.events.packet_drops === 'count';
  const aggregatePackets = config.events.packet_drops === 'aggregate';
  const recordOptions = { ecs: config.telemetry.ecs, hostId: deps.hostId ?? '' };
  const processRecord = (raw: RawRecord): ProcessedEvent => {
    const event = interpreter.interpret(raw);
    const enrichment = deps.enricher.enrich(event);
    let disposition: Disposition = 'logged';
    if (!collected.has(raw.eventId)) disposition = 'not-collected';
    else if (countOnlyPackets && (raw.eventId === 5152 || raw.eventId === 5153)) disposition = 'counted';
    else if (deps.shouldLog !== undefined && !deps.shouldLog(event, enrichment)) disposition = 'counted';
    else if (aggregatePackets && (raw.eventId === 5152 || raw.eventId === 5153)) disposition = 'aggregated';
    return new LazyProcessedEvent(event, enrichment, disposition, recordOptions);
  };
  return {
    interpreter,
    processRecord,
    process(item: SourceItem): PipelineOutcome {
      const decoded = decodeItem(item);
      if (!decoded.ok) return decoded;
      return { ok: true, value: processRecord(decoded.value) };
    },
    learn(item: SourceItem): void {
      const decoded = decodeItem(item);
      if (decoded.ok) interpreter.learn(decoded.value);
    },
  };
}
