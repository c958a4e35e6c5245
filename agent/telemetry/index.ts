export type { AttributeValue, TelemetryRecord } from './telemetry-record.ts';
