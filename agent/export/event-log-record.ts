// TelemetryRecord → the SDK's log record, built directly instead of through Logger.emit.
//
// Why: Logger.emit copies every attribute through the SDK's validation (`maybeAddAttribute`, which allocates a
// WeakSet per value) — ~5 µs of the ~32 µs an event cost end to end (`npm run bench`, 2-core VM). Our
// attributes are already valid by type (TelemetryRecord: string | number | boolean | string[] values, built only by
// toTelemetryRecord), so the record adopts them as they are and goes straight to the log processors.
import type { AnyValue, Attributes, HrTime, SeverityNumber, SpanContext } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { TelemetryRecord } from '../telemetry/index.ts';
import { parseRfc3339 } from './log-record.ts';

export class EventLogRecord implements ReadWriteLogRecord {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  /** Event records carry no trace context; a processor may set one. */
  spanContext?: SpanContext;
  severityText?: string;
  severityNumber?: SeverityNumber;
  body?: AnyValue;
  eventName?: string;
  droppedAttributesCount = 0;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  #attributes: Attributes;
  /** Whether `#attributes` is our own copy (the record's object is shared with whoever built it). */
  #owned = false;
  /**
   * True while attributes and body hold only strings, numbers, booleans and lists of strings, as a
   * TelemetryRecord does by type; the protobuf encoder then skips checking them one by one.
   */
  primitiveOnly = true;

  constructor(record: TelemetryRecord, resource: Resource, scope: InstrumentationScope, observed: HrTime) {
    // No usable event time: the emit time stands in (as the SDK does); the record says so in
    // `windows.event.time_quality`.
    this.hrTime = parseRfc3339(record.timestamp) ?? observed;
    this.hrTimeObserved = observed;
    this.severityNumber = record.severityNumber as SeverityNumber;
    this.severityText = record.severityText;
    this.body = record.body;
    this.eventName = record.eventName;
    this.resource = resource;
    this.instrumentationScope = scope;
    this.#attributes = record.attributes;
  }

  get attributes(): Attributes {
    return this.#attributes;
  }

  setAttribute(key: string, value?: AnyValue): this {
    if (value === undefined || key === '') return this;
    if (!this.#owned) {
      this.#attributes = { ...this.#attributes };
      this.#owned = true;
    }
    (this.#attributes as Record<string, AnyValue>)[key] = value;
    if (!isPrimitive(value)) this.primitiveOnly = false;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  setBody(body: AnyValue): this {
    this.body = body;
    if (!isPrimitive(body)) this.primitiveOnly = false;
    return this;
  }

  setEventName(eventName: string): this {
    this.eventName = eventName;
    return this;
  }

  setSeverityNumber(severityNumber: SeverityNumber): this {
    this.severityNumber = severityNumber;
    return this;
  }

  setSeverityText(severityText: string): this {
    this.severityText = severityText;
    return this;
  }
}

/** A string, number or boolean: what the OTLP encoder writes without the SDK serializer. */
export function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** Now as HrTime (milliseconds precision, like the SDK's own observed time). */
export function hrNow(now: number = Date.now()): HrTime {
  return millisToHrTime(now);
}
