// OTLP/HTTP exporters (protobuf or JSON) built from resolved settings. TLS files are read here, at start, so a
// missing CA file is one clear line instead of a failure on the first export.
import { readFileSync } from 'node:fs';
import type { AgentOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporalityPreference, OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { MetricTemporality } from '../config/index.ts';
import type { OtlpSignalSettings } from './otlp-settings.ts';

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
      (options as Record<string, unknown>)[key] = readFile(path);
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
