// Console exporters that print one readable line per log record and per metric series to an injected
// writer (stdout in the CLI, a buffer in tests). The SDK's own console exporters print multi-line object
// dumps through `console`, which the CLI's injected io cannot capture.
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

export type Write = (text: string) => void;

export function createConsoleLogExporter(write: Write): LogRecordExporter {
  return {
    export(logs: ReadableLogRecord[], done: (result: ExportResult) => void) {
      let text = '';
      for (const r of logs) {
        const [s, ns] = r.hrTime;
        const time = s === 0 && ns === 0 ? '-' : new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, `.${String(ns).padStart(9, '0')}Z`);
        text += `log ${time} ${r.severityText ?? ''} ${r.eventName ?? ''} ${JSON.stringify(r.body)} ${JSON.stringify(r.attributes)}\n`;
      }
      write(text);
      done({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

export function createConsoleMetricExporter(write: Write): PushMetricExporter {
  // Cumulative values: an export identical to the previous one (nothing counted since) is not printed again.
  let previous = '';
  return {
    export(metrics: ResourceMetrics, done: (result: ExportResult) => void) {
      const lines: string[] = [];
      for (const scope of metrics.scopeMetrics) {
        for (const m of scope.metrics) {
          if (m.dataPointType !== DataPointType.SUM) continue;
          for (const p of m.dataPoints) {
            const labels = Object.entries(p.attributes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
            lines.push(`metric ${m.descriptor.name}{${labels}} ${String(p.value)}\n`);
          }
        }
      }
      // Sorted: the SDK's scope order varies between collections.
      const text = lines.sort().join('');
      if (text !== previous) write(text);
      previous = text;
      done({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
}
