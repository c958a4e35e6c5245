// In-memory OpenTelemetry SDK providers for the audit tests: what the audit stage emitted, as the SDK's own
// in-memory exporters saw it.
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';

export interface MetricPoint {
  readonly name: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly value: number;
}

export interface LogEntry {
  readonly eventName: string | undefined;
  readonly severityText: string | undefined;
  readonly body: unknown;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface TelemetryHarness {
  readonly meterProvider: MeterProvider;
  readonly loggerProvider: LoggerProvider;
  /** Current value of every data point (cumulative counters, last-value gauges). */
  points(): Promise<MetricPoint[]>;
  logs(): LogEntry[];
  shutdown(): Promise<void>;
}

export function createTelemetryHarness(): TelemetryHarness {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  return {
    meterProvider,
    loggerProvider,
    async points() {
      metricExporter.reset();
      await reader.forceFlush();
      const last = metricExporter.getMetrics().at(-1);
      const points: MetricPoint[] = [];
      for (const scope of last?.scopeMetrics ?? []) {
        for (const metric of scope.metrics) {
          for (const p of metric.dataPoints) {
            points.push({ name: metric.descriptor.name, attributes: p.attributes, value: p.value as number });
          }
        }
      }
      return points;
    },
    logs: () =>
      logExporter.getFinishedLogRecords().map((r) => ({
        eventName: r.eventName,
        severityText: r.severityText,
        body: r.body,
        attributes: r.attributes,
      })),
    async shutdown() {
      await meterProvider.shutdown();
      await loggerProvider.shutdown();
    },
  };
}
