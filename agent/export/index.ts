export type { FlushResult, TelemetrySink } from './telemetry-sink.ts';
export { createOtelTelemetrySink } from './otel-telemetry-sink.ts';
export type { OtelSinkOptions, OtelTelemetrySink, SinkOutcome, SinkStats } from './otel-telemetry-sink.ts';
export { resolveOtlpSettings, resolveMetricSettings, parseHeaderList, OTLP_DEFAULTS } from './otlp-settings.ts';
export type { EnvLookup, Signal, OtlpSignalSettings, OtlpTlsSettings, MetricSettings, SettingsOutcome } from './otlp-settings.ts';
export { classifyExportError } from './observed-exporters.ts';
export { parseRfc3339 } from './log-record.ts';
export { EventLogRecord, hrNow } from './event-log-record.ts';
export { createOtlpLogExporter } from './otlp-exporters.ts';
