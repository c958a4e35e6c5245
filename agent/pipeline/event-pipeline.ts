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
import type { TelemetryRecord } from '../telemetry/index.ts';
import { collectedEventIds } from './collected-event-ids.ts';

/**
 * - `logged`: exported as a log record and counted in metrics;
 * - `counted`: metrics only (packet drops in `count` mode, routine blocks kept out of the logs);
 * - `not-collected`: the config does not collect this event id: neither logged nor counted.
 */
export type Disposition = 'logged' | 'counted' | 'not-collected';

export interface ProcessedEvent {
  readonly event: WfpEvent;
  readonly enrichment: EventEnrichment;
  /** What is exported (the record is built for `counted` events too, for `explain`; only `logged` ones are sent). */
  readonly record: TelemetryRecord;
  readonly disposition: Disposition;
}

export type PipelineOutcome = { readonly ok: true; readonly value: ProcessedEvent } | DecodeError;

export interface EventPipelineDeps {
  readonly enricher: Enricher;
  /** Extra say on whether an enriched event is logged (the attribution work's routine-block switch). */
  readonly shouldLog?: (event: WfpEvent, enrichment: EventEnrichment) => boolean;
}

export interface EventPipeline {
  process(item: SourceItem): PipelineOutcome;
  /** Interpret an already decoded record (sources that decode themselves, tests). */
  processRecord(raw: RawRecord): ProcessedEvent;
  /** Learn host addresses from an item without processing it (replay pre-pass). */
  learn(item: SourceItem): void;
  readonly interpreter: Interpreter;
}

export function createEventPipeline(config: AgentConfig, deps: EventPipelineDeps): EventPipeline {
  const interpreter = createInterpreter(config.network);
  const collected = collectedEventIds(config.events);
  const countOnlyPackets = config.events.packet_drops === 'count';
  const recordOptions = { ecs: config.telemetry.ecs };
  const processRecord = (raw: RawRecord): ProcessedEvent => {
    const event = interpreter.interpret(raw);
    const enrichment = deps.enricher.enrich(event);
    const record = toTelemetryRecord(event, enrichment, recordOptions);
    let disposition: Disposition = 'logged';
    if (!collected.has(raw.eventId)) disposition = 'not-collected';
    else if (countOnlyPackets && (raw.eventId === 5152 || raw.eventId === 5153)) disposition = 'counted';
    else if (deps.shouldLog !== undefined && !deps.shouldLog(event, enrichment)) disposition = 'counted';
    return { event, enrichment, record, disposition };
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
