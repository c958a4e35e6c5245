// `wfp-agent replay FILE...`: event files through the full pipeline into the configured exporters, flushed
// chunk by chunk exactly like the live pump (emit a batch, flush, only then go on), with a summary.
import type { AgentConfig } from '../../config/index.ts';
import { formatDecodeError } from '../../decode/index.ts';
import { createFloodControl, floodQueueProblem, needsFloodControl } from '../../pipeline/index.ts';
import type { EventPipeline, FloodControl } from '../../pipeline/index.ts';
import type { SourceItem } from '../../source/index.ts';
import type { TelemetryRecord } from '../../telemetry/index.ts';
import { createOtelTelemetrySink } from '../../export/index.ts';
import type { OtelTelemetrySink, TelemetrySink } from '../../export/index.ts';
import type { Command, CliIo } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { parseOptions, stringOption } from '../parse-options.ts';
import { loadFilePipeline, loadItems } from '../file-input.ts';

const HELP = `Usage: wfp-agent replay [options] FILE...

Send the events in FILE... through the full pipeline (decode, interpret, enrich, record contract) to the
exporters the configuration names (OTLP logs and metrics, console, Prometheus pull endpoint), wait until
everything is flushed, and print a summary. FILE is event XML or JSON lines, as for 'wfp-agent explain'.

Flood control (events.packet_drops: aggregate, events.rate_limits) runs on the events' own times: a window
closes when an event is aggregate_window_s after the window's first, and the open one is emitted at the end.

Options:
  --config FILE     Configuration (exporters, metrics, events). Default: the bundled one, where OTLP goes to
                    http://localhost:4318 unless OTEL_EXPORTER_OTLP_* variables say otherwise.
  --filters FILE    A 'netsh wfp show filters' XML snapshot: attribute each block to its filter or firewall
                    rule and classify it (wfp.block.kind), as 'wfp-agent explain --filters' does.
  -h, --help        Show this help.

Exit codes: 0 everything exported; 1 some records bad or some telemetry not exported (the summary says
which); 2 usage or configuration error.
`;

export interface ReplayCounts {
  /** Items read from the files. */
  read: number;
  bad: number;
  logged: number;
  counted: number;
  notCollected: number;
  /** Flood control: packet drops counted into summaries, events over a rate limit, records it emitted. */
  aggregated: number;
  suppressed: number;
  summaries: number;
}

export interface ReplayResult {
  readonly counts: ReplayCounts;
  /** The first failed flush, or null when every flush succeeded. */
  readonly flushError: string | null;
  /** Items not sent because replay stopped at a failed flush. */
  readonly notSent: number;
}

/**
 * Process `items` in order and emit them into `sink`, flushing the log records after every `chunk` items and
 * everything (metrics too) after the last. Stops at the first
 * failed flush (like the pump, which stops reading while the backend is unhappy). Processing is synchronous
 * between flushes, so `chunk` must not exceed the batch queue or the SDK drops records.
 */
export async function replayIntoSink(
  items: readonly SourceItem[],
  pipeline: EventPipeline,
  sink: TelemetrySink,
  chunk: number,
  onBad: (line: string) => void = () => {},
  flood?: FloodControl,
): Promise<ReplayResult> {
  const counts: ReplayCounts = { read: items.length, bad: 0, logged: 0, counted: 0, notCollected: 0, aggregated: 0, suppressed: 0, summaries: 0 };
  // Flood control's clock is the events' time: windows and rate limits mean what they would have meant live.
  let now = 0;
  const emitClosed = (records: readonly TelemetryRecord[]): void => {
    for (const r of records) sink.emitRecord(r);
    counts.summaries += records.length;
  };
  for (let start = 0; start < items.length; start += chunk) {
    const end = Math.min(items.length, start + chunk);
    for (let i = start; i < end; i++) {
      const outcome = pipeline.process(items[i]!);
      if (!outcome.ok) {
        counts.bad++;
        onBad(formatDecodeError(outcome));
        continue;
      }
      const p = outcome.value;
      const time = Date.parse(p.record.timestamp);
      if (!Number.isNaN(time)) now = time;
      const item = items[i]!;
      if (flood !== undefined) emitClosed(flood.closeDue(now));
      const verdict = flood === undefined ? (p.disposition === 'aggregated' ? 'logged' : p.disposition) : flood.offer(p, item.recordId ?? item.position, now);
      if (verdict === 'not-collected') {
        counts.notCollected++;
      } else if (verdict === 'logged') {
        counts.logged++;
        sink.emit(p.event, p.enrichment, p.record);
      } else {
        if (verdict === 'counted') counts.counted++;
        else if (verdict === 'suppressed') counts.suppressed++;
        else counts.aggregated++;
        sink.emit(p.event, p.enrichment, null);
      }
    }
    if (flood !== undefined && end === items.length) emitClosed(flood.closeAll());
    // Log records chunk by chunk; the metrics (cumulative series) once, with the last chunk.
    const flushed = await sink.flush(end === items.length ? 'all' : 'logs');
    if (!flushed.ok) return { counts, flushError: flushed.error, notSent: items.length - end };
  }
  return { counts, flushError: null, notSent: 0 };
}

/**
 * Events per flush: two export batches, within the queue. Flushing in chunks keeps few records alive at once, so
 * they die young instead of filling the old generation: `npm run bench` (200k events) peaked at ~460 MB RSS
 * with the whole queue (16384) as the chunk, ~300 MB with 4096, 140–184 MB with 1024 (the default, batches of
 * 512) and the agent's young-generation cap (`--max-semi-space-size=16`), at the same or better throughput.
 */
export function replayChunk(config: AgentConfig): number {
  const batch = config.exporters.batch;
  return Math.max(1, Math.min(batch.max_queue_size, 2 * batch.max_export_batch_size));
}

/** The pipeline `explain` uses: the config's enricher (plus a filter snapshot) and its routine-block switch. */
export function formatSummary(result: ReplayResult, sink: OtelTelemetrySink, fileProblems: number): string {
  const c = result.counts;
  const s = sink.stats();
  const lines = [
    `${c.read} events read: ${c.read - c.bad} good, ${c.bad} bad; ${c.logged} logged, ${c.counted} counted only, ${c.notCollected} not collected by this config.`,
    ...(c.aggregated + c.suppressed + c.summaries > 0
      ? [`Flood control: ${c.aggregated} packet drops aggregated, ${c.suppressed} events over rate limits; ${c.summaries} summary records emitted.`]
      : []),
    `Log records: ${s.logRecords} emitted, ${s.exported} exported, ${s.failed} failed, ${s.dropped} dropped (queue full)` +
      (result.notSent > 0 ? `; ${result.notSent} events not sent after the failure` : '') +
      `. Metric exports failed: ${s.metricExportsFailed}.`,
  ];
  if (fileProblems > 0) lines.push(`${fileProblems} file(s) unreadable.`);
  if (result.flushError !== null) lines.push(`Export failed: ${result.flushError}`);
  return `${lines.join('\n')}\n`;
}

export function replayFailed(result: ReplayResult, sink: OtelTelemetrySink, fileProblems: number): boolean {
  const s = sink.stats();
  return result.flushError !== null || s.failed > 0 || s.dropped > 0 || result.counts.bad > 0 || fileProblems > 0;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'Send event files through the full pipeline to the configured exporters.',
  help: HELP,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, { config: { type: 'string' }, filters: { type: 'string' } });
    if (!parsed.ok) {
      io.stderr(`wfp-agent replay: ${parsed.message}. See wfp-agent replay --help.\n`);
      return EXIT_USAGE;
    }
    const files = parsed.parsed.positionals;
    if (files.length === 0) {
      io.stderr('wfp-agent replay: no FILE given. See wfp-agent replay --help.\n');
      return EXIT_USAGE;
    }
    const loaded = loadFilePipeline('replay', stringOption(parsed.parsed, 'config'), stringOption(parsed.parsed, 'filters'), io);
    if (loaded === null) return EXIT_USAGE;
    const { config, pipeline } = loaded;
    const floodProblem = floodQueueProblem(config.events, replayChunk(config), config.exporters.batch.max_queue_size);
    if (floodProblem !== null) {
      io.stderr(`wfp-agent replay: ${floodProblem}\n`);
      return EXIT_USAGE;
    }
    const created = await createOtelTelemetrySink({ config, env: (n) => io.env[n], write: io.stdout });
    if (!created.ok) {
      for (const p of created.problems) io.stderr(`wfp-agent replay: ${p}\n`);
      return EXIT_USAGE;
    }
    const sink = created.value;
    for (const d of sink.destinations) io.stderr(`${d}\n`);
    if (sink.destinations.length === 0) io.stderr('wfp-agent replay: warning: no exporter is enabled in this configuration.\n');
    try {
      const { items, fileProblems } = loadItems(files, pipeline, (line) => io.stderr(`${line}\n`));
      const flood = needsFloodControl(config.events) ? createFloodControl(config.events) : undefined;
      const result = await replayIntoSink(items, pipeline, sink, replayChunk(config), (line) => io.stderr(`${line}\n`), flood);
      io.stderr(formatSummary(result, sink, fileProblems));
      return replayFailed(result, sink, fileProblems) ? EXIT_PROBLEMS : EXIT_OK;
    } finally {
      await sink.shutdown();
    }
  },
};
