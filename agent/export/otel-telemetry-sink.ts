// The TelemetrySink backed by the OpenTelemetry SDK:
//
//   emit ──► Logger ──► BatchLogRecordProcessor ──► observed OTLP log exporter (protobuf | JSON) ──► backend
//        │                                      └─► console exporter (optional)
//        └─► MetricRecorder ──► MeterProvider ──► PeriodicExportingMetricReader ──► observed OTLP metric exporter
//                                           ├─► console reader (optional)
//                                           └─► Prometheus pull endpoint (optional)
//
// flush() forces both providers and then reads what the observed exporters saw, so it can answer `ok:false`
// when a backend refused or failed, or when the batch queue dropped records: the live pump acks only what
// really left the machine.
import { logs, metrics as metricsApi } from '@opentelemetry/api';
import type { Counter, LoggerProvider as ApiLoggerProvider, MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { logs as apiLogs } from '@opentelemetry/api-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { AgentConfig } from '../config/index.ts';
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import type { ResourceOutcome, TelemetryRecord } from '../telemetry/index.ts';
import { createAgentResource, createMetricRecorder } from '../telemetry/index.ts';
import type { MetricRecorder } from '../telemetry/index.ts';
import { AGENT_VERSION } from '../shared/index.ts';
import type { FlushResult, TelemetrySink } from './telemetry-sink.ts';
import { resolveMetricSettings, resolveOtlpSettings } from './otlp-settings.ts';
import type { EnvLookup } from './otlp-settings.ts';
import { createOtlpLogExporter, createOtlpMetricExporter } from './otlp-exporters.ts';
import type { ReadFile } from './otlp-exporters.ts';
import { classifyExportError, createTally, observeLogExporter, observeMetricExporter } from './observed-exporters.ts';
import type { ClassifiedError, ExportTally, ObservedLogExporter } from './observed-exporters.ts';
import { createConsoleLogExporter, createConsoleMetricExporter } from './console-exporters.ts';
import type { Write } from './console-exporters.ts';
import { startPrometheusEndpoint } from './prometheus-endpoint.ts';
import type { PrometheusEndpoint } from './prometheus-endpoint.ts';
import { createDropCountingMeterProvider } from './drop-counting-meter-provider.ts';
import { observeHttpResponses } from './http-response-observer.ts';
import type { HttpResponseObserver, ObservedResponse } from './http-response-observer.ts';
import { EventLogRecord, hrNow } from './event-log-record.ts';

export interface OtelSinkOptions {
  readonly config: Pick<AgentConfig, 'service' | 'exporters' | 'metrics'>;
  readonly env: EnvLookup;
  /** Where the console exporters write (default: process.stdout). */
  readonly write?: Write;
  /** Tests pass a fixed resource; default: detected (host, OS) plus the service attributes (config, OTEL_RESOURCE_ATTRIBUTES, OTEL_SERVICE_NAME). */
  readonly resource?: Resource;
  readonly readFile?: ReadFile;
  /**
   * Make the sink's providers the process-wide ones (`@opentelemetry/api` metrics and logs, and the
   * `@opentelemetry/api-logs` global the audit work reads), so any module can emit without owning a provider.
   * For the one sink of an agent process; off by default so tests can run several sinks.
   */
  readonly registerGlobals?: boolean;
}

/** What happened to the log records emitted so far (OTLP destination when configured, else console). */
export interface SinkStats {
  /** emit() calls. */
  readonly events: number;
  /** Log records handed to the SDK (events with a record). */
  readonly logRecords: number;
  /** Log records every log destination accepted. */
  readonly exported: number;
  /** Log records a backend refused or that failed to send. */
  readonly failed: number;
  /** Log records the SDK dropped because its queue was full. */
  readonly dropped: number;
  /** Metric exports that failed. */
  readonly metricExportsFailed: number;
  /** The last export error, one line; null when none. */
  readonly lastError: string | null;
}

export interface OtelTelemetrySink extends TelemetrySink {
  stats(): SinkStats;
  /** URL of the Prometheus pull endpoint, or null when it is off. */
  readonly prometheusUrl: string | null;
  /** One line per configured destination, for start-up messages. */
  readonly destinations: readonly string[];
  /**
   * The sink's providers, for other parts of the agent (audit-policy events, self-telemetry) to emit through
   * the same exporters and resource. Emitting through them is not tracked by stats()/flush().
   */
  readonly loggerProvider: ApiLoggerProvider;
  readonly meterProvider: ApiMeterProvider;
  /** The resource's host.id (the machine id), '' when none was detected: names live events in log.record.uid. */
  readonly hostId: string;
}

export type SinkOutcome = { readonly ok: true; readonly value: OtelTelemetrySink } | { readonly ok: false; readonly problems: readonly string[] };

const SCOPE = 'wfp-block-agent';

export async function createOtelTelemetrySink(options: OtelSinkOptions): Promise<SinkOutcome> {
  const { exporters, metrics } = options.config;
  const write = options.write ?? ((t: string) => void process.stdout.write(t));
  const problems: string[] = [];
  const destinations: string[] = [];

  const otlp = exporters.otlp;
  const logsSettings = otlp.enabled && otlp.logs ? resolveOtlpSettings(otlp, 'logs', options.env) : null;
  const metricsOverOtlp = otlp.enabled && otlp.metrics && metrics.enabled;
  const metricSettings = metricsOverOtlp ? resolveOtlpSettings(otlp, 'metrics', options.env) : null;
  const metricOptions = resolveMetricSettings(metrics, options.env);
  for (const o of [logsSettings, metricSettings, metricOptions]) if (o !== null && !o.ok) problems.push(...o.problems);
  const resourceOutcome: ResourceOutcome =
    options.resource !== undefined ? { ok: true, value: options.resource } : await createAgentResource(options.config.service, options.env);
  if (!resourceOutcome.ok) problems.push(resourceOutcome.problem);
  if (problems.length > 0 || !metricOptions.ok || !resourceOutcome.ok) return { ok: false, problems };
  const resource = resourceOutcome.value;

  // Self-metric for failed exports; the counter exists once the MeterProvider does (readers come first).
  let failures: Counter | null = null;
  const countFailure = (signal: 'logs' | 'metrics') => (error: unknown) =>
    failures?.add(1, { signal, 'error.type': classifyExportError(error).type });

  // Metric readers first: the MeterProvider takes them at construction.
  const readers: IMetricReader[] = [];
  const metricTally = createTally(metricSettings?.ok === true ? metricSettings.value.url : null);
  const otlpUrls = [logsSettings, metricSettings].flatMap((s) => (s?.ok === true ? [s.value.url] : []));
  const responses: HttpResponseObserver | null = otlpUrls.length > 0 ? observeHttpResponses(otlpUrls) : null;
  let metricTallyUsed = false;
  if (metricSettings?.ok === true) {
    const built = createOtlpMetricExporter(metricSettings.value, metricOptions.value.temporality, options.readFile);
    if (!built.ok) {
      responses?.close();
      return { ok: false, problems: [`exporters.otlp (metrics): ${built.problem}`] };
    }
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: observeMetricExporter(built.value, metricTally, countFailure('metrics')),
        exportIntervalMillis: metricOptions.value.exportIntervalMillis,
        exportTimeoutMillis: Math.min(metricSettings.value.timeoutMillis * 2, metricOptions.value.exportIntervalMillis),
      }),
    );
    metricTallyUsed = true;
    destinations.push(`metrics → OTLP ${metricSettings.value.protocol} ${metricSettings.value.url} (${metricOptions.value.temporality})`);
  }
  if (exporters.console.enabled && metrics.enabled) {
    readers.push(new PeriodicExportingMetricReader({ exporter: createConsoleMetricExporter(write), exportIntervalMillis: 2 ** 31 - 1 }));
    destinations.push('metrics → console');
  }
  let prometheus: PrometheusEndpoint | null = null;
  if (exporters.prometheus.enabled && metrics.enabled) {
    const started = await startPrometheusEndpoint(exporters.prometheus.host, exporters.prometheus.port);
    if (!started.ok) {
      responses?.close();
      return { ok: false, problems: [`exporters.prometheus: ${started.problem}`] };
    }
    prometheus = started.value;
    readers.push(prometheus.reader);
    destinations.push(`metrics → Prometheus pull ${prometheus.url}`);
  }

  const meterProvider = new MeterProvider({
    resource,
    readers,
    views: [{ instrumentName: 'wfp.*', aggregationCardinalityLimit: metrics.cardinality_limit }],
  });

  failures = meterProvider.getMeter(SCOPE, AGENT_VERSION).createCounter('wfp.agent.export.failures', {
    unit: '{export}',
    description: 'OTLP export requests that failed after the SDK retries, by signal and error.type.',
  });

  let dropped = 0;
  const selfObs: ApiMeterProvider = createDropCountingMeterProvider(meterProvider, (n) => (dropped += n));
  const logTallies: ExportTally[] = [];
  const logExporters: ObservedLogExporter[] = [];
  const processors: LogRecordProcessor[] = [];
  const batch = exporters.batch;
  const batchOptions = {
    maxQueueSize: batch.max_queue_size,
    maxExportBatchSize: Math.min(batch.max_export_batch_size, batch.max_queue_size),
    scheduledDelayMillis: batch.scheduled_delay_ms,
    exportTimeoutMillis: batch.export_timeout_ms,
    selfObsMeterProvider: selfObs,
  };
  if (logsSettings?.ok === true) {
    const built = createOtlpLogExporter(logsSettings.value, options.readFile);
    if (!built.ok) {
      await prometheus?.close();
      responses?.close();
      return { ok: false, problems: [`exporters.otlp (logs): ${built.problem}`] };
    }
    const tally = createTally(logsSettings.value.url);
    logTallies.push(tally);
    const observed = observeLogExporter(built.value, tally, countFailure('logs'));
    logExporters.push(observed);
    processors.push(new BatchLogRecordProcessor({ exporter: observed, ...batchOptions }));
    destinations.push(`logs → OTLP ${logsSettings.value.protocol} ${logsSettings.value.url}`);
  }
  if (exporters.console.enabled) {
    const tally = createTally();
    logTallies.push(tally);
    const observed = observeLogExporter(createConsoleLogExporter(write), tally);
    logExporters.push(observed);
    processors.push(new BatchLogRecordProcessor({ exporter: observed, ...batchOptions }));
    destinations.push('logs → console');
  }
  const loggerProvider = new LoggerProvider({ resource, processors });
  // Event records skip Logger.emit and go to the processors as built (event-log-record.ts says why); other
  // emitters (audit work, self-telemetry) use loggerProvider as usual.
  const scope = { name: SCOPE, version: AGENT_VERSION };
  const recorder: MetricRecorder | null = metrics.enabled
    ? createMetricRecorder(meterProvider.getMeter(SCOPE, AGENT_VERSION), { appCardinalityLimit: metrics.app_cardinality_limit })
    : null;

  if (options.registerGlobals === true) {
    metricsApi.setGlobalMeterProvider(meterProvider);
    logs.setGlobalLoggerProvider(loggerProvider);
    apiLogs.setGlobalLoggerProvider(loggerProvider);
  }

  let events = 0;
  let logRecords = 0;
  // What the previous flush already reported, so each flush answers for what happened since.
  let reported = { rejected: 0, dropped: 0, metricFailed: 0 };
  let shutdownPromise: Promise<void> | null = null;

  const stats = (): SinkStats => {
    const exported = logTallies.length === 0 ? 0 : Math.min(...logTallies.map((t) => t.exported));
    // Not delivered: refused for good, or still waiting for a resend.
    const failed = logTallies.length === 0 ? 0 : Math.max(...logTallies.map((t) => t.rejected + t.pending.length));
    const errors = [...logTallies, metricTally].filter((t) => t.lastError !== null);
    const last = errors.length > 0 ? classifyExportError(errors[errors.length - 1]?.lastError).message : null;
    return { events, logRecords, exported, failed, dropped, metricExportsFailed: metricTally.failed, lastError: last };
  };

  const flush = async (what: 'all' | 'logs' = 'all'): Promise<FlushResult> => {
    const withMetrics = what === 'all';
    const problems: unknown[] = [];
    recorder?.flushPending();
    // What failed before goes again first (the SDK forgot it); then both signals at once: against a backend
    // that is down, each waits out its own export timeout.
    await Promise.all(logExporters.map((e) => e.resendPending()));
    await Promise.all([
      processors.length > 0 ? loggerProvider.forceFlush().catch((e: unknown) => void problems.push(e)) : null,
      withMetrics && readers.length > 0 ? meterProvider.forceFlush().catch((e: unknown) => void problems.push(e)) : null,
    ]);
    const now = stats();
    const rejected = Math.max(0, ...logTallies.map((t) => t.rejected));
    const pending = Math.max(0, ...logTallies.map((t) => t.pending.length));
    const newRejected = rejected - reported.rejected;
    const newDropped = now.dropped - reported.dropped;
    const newMetricFailed = metricTally.failed - reported.metricFailed;
    reported = { rejected, dropped: now.dropped, metricFailed: withMetrics ? metricTally.failed : reported.metricFailed };
    // Cumulative metrics: a failed push is repaired by the next good one. Delta: every failed push lost counts.
    const metricsBad = withMetrics && metricTallyUsed && (metricOptions.value.temporality === 'delta' ? newMetricFailed > 0 : !metricTally.lastOk);
    // ok only when every log record emitted so far was accepted (or refused for good and reported once).
    if (pending === 0 && newRejected === 0 && newDropped === 0 && !metricsBad && problems.length === 0) return { ok: true };

    const failing = [...logTallies, ...(withMetrics ? [metricTally] : [])].filter((t) => !t.lastOk);
    const classified = failing.map((t) => refine(classifyExportError(t.lastError), t.url === null ? null : (responses?.last(t.url) ?? null)));
    const retryAfter = classified.flatMap((c) => (c.retryAfterMs === null ? [] : [c.retryAfterMs]));
    const parts: string[] = [];
    if (newRejected > 0) parts.push(`${newRejected} log records not accepted`);
    if (pending > 0) parts.push(`${pending} log records waiting to be sent again`);
    if (newDropped > 0) parts.push(`${newDropped} log records dropped (batch queue full, max_queue_size ${batch.max_queue_size})`);
    if (metricsBad) parts.push('metrics export failed');
    for (const c of classified) parts.push(c.message);
    for (const p of problems) parts.push(classifyExportError(p).message);
    const error = [...new Set(parts)].join('; ');
    // Records refused for good or dropped from a full queue are gone: trying again cannot bring them back.
    const retryable = newRejected === 0 && newDropped === 0 && classified.every((c) => c.retryable);
    return retryAfter.length > 0 ? { ok: false, retryable, retryInMs: Math.max(...retryAfter), error } : { ok: false, retryable, error };
  };

  return {
    ok: true,
    value: {
      prometheusUrl: prometheus?.url ?? null,
      destinations,
      hostId: typeof resource.attributes['host.id'] === 'string' ? resource.attributes['host.id'] : '',
      loggerProvider,
      meterProvider,
      stats,
      emit(event: WfpEvent, enrichment: EventEnrichment, record: TelemetryRecord | null): void {
        events += 1;
        if (record !== null && processors.length > 0) {
          logRecords += 1;
          const logRecord = new EventLogRecord(record, resource, scope, hrNow());
          for (const p of processors) p.onEmit(logRecord);
        }
        recorder?.record(event, enrichment);
      },
      emitRecord(record: TelemetryRecord): void {
        if (processors.length === 0) return;
        logRecords += 1;
        const logRecord = new EventLogRecord(record, resource, scope, hrNow());
        for (const p of processors) p.onEmit(logRecord);
      },
      flush,
      shutdown(): Promise<void> {
        shutdownPromise ??= (async () => {
          recorder?.flushPending();
          await loggerProvider.shutdown().catch(() => undefined);
          // The readers export once more on shutdown; when the backend just failed, that last push fails at once
          // (the SDK's retry timers would otherwise keep the process alive for another export timeout).
          metricTally.giveUp = !metricTally.lastOk;
          await meterProvider.shutdown().catch(() => undefined);
          await prometheus?.close();
          responses?.close();
          if (options.registerGlobals === true) {
            metricsApi.disable();
            logs.disable();
            apiLogs.disable();
          }
        })();
        return shutdownPromise;
      },
    },
  };
}

/**
 * The SDK's "retries exhausted" error names no status; the backend's last answer (seen on Node's HTTP
 * diagnostics channel) does, with its Retry-After.
 */
function refine(c: ClassifiedError, last: ObservedResponse | null): ClassifiedError & { retryAfterMs: number | null } {
  if (c.type !== 'retries_exhausted' || last === null || last.status < 400) return { ...c, retryAfterMs: null };
  const after = last.retryAfterMs === null ? '' : ` (Retry-After ${Math.round(last.retryAfterMs / 1000)} s)`;
  return { ...c, message: `HTTP ${last.status}${after} on every retry until the export timeout`, retryAfterMs: last.retryAfterMs };
}
