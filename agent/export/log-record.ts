// TelemetryRecord (the record contract) → OTel API LogRecord, keeping the event's full time precision.
import type { HrTime, LogRecord } from '@opentelemetry/api';
import type { TelemetryRecord } from '../telemetry/index.ts';

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * RFC 3339 → [seconds, nanoseconds]. Date keeps only milliseconds; Windows writes 7 fraction digits and evtx
 * converters 9, so the fraction is read as text. null when the text is not RFC 3339.
 */
export function parseRfc3339(text: string): HrTime | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return null;
  const nanos = m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0'));
  return [Math.floor(ms / 1000), nanos];
}

export function toLogRecord(record: TelemetryRecord): LogRecord {
  const time = parseRfc3339(record.timestamp);
  const out: LogRecord = {
    eventName: record.eventName,
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes: record.attributes,
  };
  // No usable event time: `timestamp` stays unset and the SDK stamps the emit time (observed time is the same);
  // the record says so in `windows.event.time_quality`.
  if (time !== null) out.timestamp = time;
  return out;
}
