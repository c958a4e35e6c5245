export type { AttributeValue, TelemetryRecord } from './telemetry-record.ts';
export { toTelemetryRecord } from './to-telemetry-record.ts';
export { eventNameFor, EVENT_NAMES, UNRECOGNIZED_EVENT_NAME } from './event-names.ts';
