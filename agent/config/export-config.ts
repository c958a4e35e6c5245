// The `exporters` and `metrics` config sections. Keys that the OTel environment variables can also set have
// no schema default: left out, they are resolved by `resolveOtlpSettings` (agent/export) as
// config ?? OTEL_EXPORTER_OTLP_* ?? OTel default.

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type OtlpCompression = 'gzip' | 'none';

export interface OtlpTlsConfig {
  /** PEM CA bundle that signs the backend's certificate (added to Node's built-in roots). */
  readonly ca_file?: string;
  readonly client_certificate_file?: string;
  readonly client_key_file?: string;
  /** Explicit opt-in to accept any server certificate. Never the default. */
  readonly insecure_skip_verify: boolean;
}

export interface OtlpExporterConfig {
  readonly enabled: boolean;
  /** Base URL; `/v1/logs` and `/v1/metrics` are appended. */
  readonly endpoint?: string;
  /** Full URL for logs / metrics (used as is, like OTEL_EXPORTER_OTLP_LOGS_ENDPOINT). */
  readonly logs_endpoint?: string;
  readonly metrics_endpoint?: string;
  readonly protocol?: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression?: OtlpCompression;
  readonly timeout_ms?: number;
  readonly tls: OtlpTlsConfig;
  /** Send logs / metrics over OTLP at all (e.g. metrics only to Prometheus). */
  readonly logs: boolean;
  readonly metrics: boolean;
}

export interface ConsoleExporterConfig {
  readonly enabled: boolean;
}

export interface PrometheusExporterConfig {
  readonly enabled: boolean;
  readonly host: string;
  /** 0 picks a free port (printed at start). */
  readonly port: number;
}

export interface BatchConfig {
  readonly max_queue_size: number;
  readonly max_export_batch_size: number;
  readonly scheduled_delay_ms: number;
  readonly export_timeout_ms: number;
}

export interface ExportersConfig {
  readonly otlp: OtlpExporterConfig;
  readonly console: ConsoleExporterConfig;
  readonly prometheus: PrometheusExporterConfig;
  readonly batch: BatchConfig;
}

export type MetricTemporality = 'cumulative' | 'delta';

export interface MetricsConfig {
  readonly enabled: boolean;
  /** Unset: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, else cumulative. */
  readonly temporality?: MetricTemporality;
  /** Unset: OTEL_METRIC_EXPORT_INTERVAL, else 60000. */
  readonly export_interval_ms?: number;
  /** Distinct executable names (and rule names) per counter before new ones go to the overflow series. */
  readonly app_cardinality_limit: number;
  /** Attribute combinations per counter (the SDK's aggregationCardinalityLimit); overflow series beyond. */
  readonly cardinality_limit: number;
}
