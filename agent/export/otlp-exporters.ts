// OTLP/HTTP exporters (protobuf or JSON) built from resolved settings. TLS files are read here, at start, so a
// missing CA file is one clear line instead of a failure on the first export. The client key's content is a
// secret from then on: no output may quote it (agent/shared/secrets.ts).
import { readFileSync } from 'node:fs';
import type { AgentOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { LogsExporterMetricsHelper, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { IExportLogsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { MetricTemporality } from '../config/index.ts';
import { rememberKeyMaterial } from '../shared/index.ts';
import type { OtlpSignalSettings } from './otlp-settings.ts';
import { encodeLogsRequest } from './otlp-logs-protobuf.ts';

export type ReadFile = (path: string) => Buffer;

export type BuildOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

function agentOptions(settings: OtlpSignalSettings, readFile: ReadFile): BuildOutcome<AgentOptions> {
  const options: AgentOptions = { keepAlive: true };
  const { tls } = settings;
  const files: [keyof AgentOptions, string | null, string][] = [
    ['ca', tls.caFile, 'CA bundle'],
    ['cert', tls.certFile, 'client certificate'],
    ['key', tls.keyFile, 'client key'],
  ];
  for (const [key, path, what] of files) {
    if (path === null) continue;
    try {
      const content = readFile(path);
      if (key === 'key') rememberKeyMaterial(content.toString('utf8'));
      (options as Record<string, unknown>)[key] = content;
    } catch (error) {
      return { ok: false, problem: `cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  if (tls.caFile !== null) {
    // `ca` replaces Node's built-in roots; an admin adding a private CA still expects public ones to work.
    options.ca = [...rootCertificates, String(options.ca)];
  }
  if (tls.insecure) options.rejectUnauthorized = false;
  return { ok: true, value: options };
}

function common(settings: OtlpSignalSettings, agent: AgentOptions) {
  return {
    url: settings.url,
    headers: { ...settings.headers },
    compression: settings.compression as CompressionAlgorithm,
    timeoutMillis: settings.timeoutMillis,
    httpAgentOptions: agent,
  };
}

/** Event records through our encoder (otlp-logs-protobuf.ts says why); anything else through the SDK's. */
const logsSerializer: ISerializer<ReadableLogRecord[], IExportLogsServiceResponse> = {
  serializeRequest: (records) => encodeLogsRequest(records) ?? ProtobufLogsSerializer.serializeRequest(records),
  deserializeResponse: (data) => ProtobufLogsSerializer.deserializeResponse(data),
};

/**
 * What `@opentelemetry/exporter-logs-otlp-proto`'s OTLPLogExporter builds (same transport, retries, headers,
 * compression and TLS), with the serializer above.
 */
class ProtoLogExporter extends OTLPExporterBase<ReadableLogRecord[]> implements LogRecordExporter {
  constructor(options: ReturnType<typeof common>) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(options, 'LOGS', 'v1/logs', { 'Content-Type': 'application/x-protobuf' }),
        logsSerializer,
        'otlp_http_log_exporter',
        LogsExporterMetricsHelper,
        undefined,
      ),
    );
  }
}

export function createOtlpLogExporter(
  settings: OtlpSignalSettings,
  readFile: ReadFile = readFileSync,
): BuildOutcome<LogRecordExporter> {
  const agent = agentOptions(settings, readFile);
  if (!agent.ok) return agent;
  const options = common(settings, agent.value);
  return { ok: true, value: settings.protocol === 'http/json' ? new JsonLogExporter(options) : new ProtoLogExporter(options) };
}

export function createOtlpMetricExporter(
  settings: OtlpSignalSettings,
  temporality: MetricTemporality,
  readFile: ReadFile = readFileSync,
): BuildOutcome<PushMetricExporter> {
  const agent = agentOptions(settings, readFile);
  if (!agent.ok) return agent;
  const options = {
    ...common(settings, agent.value),
    temporalityPreference:
      temporality === 'delta' ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE,
  };
  return {
    ok: true,
    value: settings.protocol === 'http/json' ? new JsonMetricExporter(options) : new ProtoMetricExporter(options),
  };
}
