export type { AttributeValue, TelemetryRecord } from './telemetry-record.ts';
export { toTelemetryRecord } from './to-telemetry-record.ts';
export type { RecordOptions } from './to-telemetry-record.ts';
export { addEcsAttributes, ECS_DATASET, ECS_MODULE } from './ecs-attributes.ts';
export { eventNameFor, EVENT_NAMES, UNRECOGNIZED_EVENT_NAME } from './event-names.ts';

// Metrics and OTel resource (telemetry/export work).
export { METRIC_DEFINITIONS, metricForEventId } from './metric-instruments.ts';
export type { MetricDefinition } from './metric-instruments.ts';
export { createMetricAttributeMapper, OVERFLOW_ATTRIBUTES, ATTR as METRIC_ATTRIBUTES } from './metric-attributes.ts';
export type { MetricAttributeMapper } from './metric-attributes.ts';
export { createMetricRecorder } from './metric-recorder.ts';
export type { MetricRecorder, MetricRecorderOptions } from './metric-recorder.ts';
export { createAgentResource } from './otel-resource.ts';
export type { ResourceOutcome } from './otel-resource.ts';
export { parseResourceAttributesVariable, serviceResourceAttributes, SERVICE_NAME } from './resource-attributes.ts';
