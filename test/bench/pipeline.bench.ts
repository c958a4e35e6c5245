// The whole pipeline (decode → interpret → enrich → record → OTel logs + metrics → OTLP http/protobuf) on the
// bundled real events repeated to >= 200,000, into a local OTLP receiver running in a child process (so its
// CPU is not ours). Beside it, the floor (`sdk_floor_ratio`'s denominator): the same number of already-built log
// records through the log exporter the sink builds (the SDK's batch processor and OTLP transport, our protobuf
// encoder), in the same run. Both flush chunk by chunk like `replay` and the live pump.
// `npm run bench` runs test/bench/compile-only.mjs first, so this process starts from Node's compile cache, as the
// service does after its first start. Each side: best of BENCH_RUNS (default 3) runs. Last line:
// events_per_second=N cpu_us_per_event=C peak_rss_mb=M sdk_floor_ratio=R
import { spawn } from 'node:child_process';
import module from 'node:module';
import { arch, cpus, platform, release } from 'node:os';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { parseConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import type { EventPipeline } from '../../agent/pipeline/index.ts';
import { EventLogRecord, createOtelTelemetrySink, createOtlpLogExporter, hrNow, resolveOtlpSettings } from '../../agent/export/index.ts';
import { AGENT_VERSION } from '../../agent/shared/index.ts';
import type { SourceItem } from '../../agent/source/index.ts';
import { createFilePipeline } from '../../agent/cli/file-input.ts';
import { replayChunk, replayIntoSink } from '../../agent/cli/commands/replay-command.ts';
import { benchInput } from './bench-input.ts';

// test/bench/compile-only.mjs loads this file only to fill the compile cache.
if (process.env['WFP_BENCH_COMPILE_ONLY'] === '1') {
  module.flushCompileCache?.();
  process.exit(0);
}

const TARGET = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const RESOURCE = resourceFromAttributes({ 'service.name': 'wfp-block-agent', 'host.name': 'bench' });

// Every event is collected and logged (allowed traffic included), so each one becomes a log record.
const config = parseConfig('events: {include_allowed: true}\nexporters:\n  otlp: {endpoint: "http://127.0.0.1:1"}\n', {
  file: '<bench>',
  env: () => undefined,
});

const { base, xml, json, mix, items } = benchInput(TARGET);

/** The pipeline `replay` and `explain` use (filter catalog learned from 5441/5447, routine-block switch). */
function pipelineFor(): EventPipeline {
  const enricher = loadEnricher({ config });
  if (!enricher.ok) throw new Error(enricher.detail);
  const pipeline = createFilePipeline(config, enricher.value);
  for (const item of base) pipeline.learn(item);
  return pipeline;
}

/** A receiver in its own process: reads each request fully, counts bytes, answers 200. */
async function startReceiver(): Promise<{ url: string; stop: () => Promise<number> }> {
  const script = `
    const http = require('node:http');
    let bytes = 0;
    const s = http.createServer((req, res) => {
      req.on('data', (c) => { bytes += c.length; });
      req.on('end', () => { res.writeHead(200, { 'content-type': 'application/x-protobuf' }); res.end(); });
    });
    s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
    process.on('message', () => { process.send(bytes, () => process.exit(0)); });
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve(Number(m)));
        child.send('stop');
      }),
  };
}

interface Measure {
  readonly eventsPerSecond: number;
  readonly cpuUsPerEvent: number;
}

async function measure(n: number, run: () => Promise<void>): Promise<Measure> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { eventsPerSecond: n / seconds, cpuUsPerEvent: (cpu.user + cpu.system) / n };
}

async function runPipeline(url: string, slice: readonly SourceItem[]): Promise<Measure> {
  const endpointConfig = { ...config, exporters: { ...config.exporters, otlp: { ...config.exporters.otlp, endpoint: url } } };
  const created = await createOtelTelemetrySink({ config: endpointConfig, env: () => undefined, resource: RESOURCE });
  if (!created.ok) throw new Error(created.problems.join('; '));
  const sink = created.value;
  const pipeline = pipelineFor();
  const m = await measure(slice.length, async () => {
    const r = await replayIntoSink(slice, pipeline, sink, replayChunk(config));
    if (r.flushError !== null || r.counts.logged + r.counts.counted !== slice.length) throw new Error(`pipeline run failed: ${r.flushError ?? JSON.stringify(r.counts)}`);
  });
  const s = sink.stats();
  if (s.exported !== s.logRecords || s.events !== slice.length) throw new Error(`exported ${s.exported} of ${s.logRecords}`);
  await sink.shutdown();
  return m;
}

/**
 * The same log exporter the sink builds from the config (OTLP http/protobuf, same batch processor settings),
 * fed log records built before the clock starts, flushed chunk by chunk like the pipeline.
 */
async function runFloor(url: string, records: readonly EventLogRecord[], n: number): Promise<Measure> {
  const batch = config.exporters.batch;
  const settings = resolveOtlpSettings({ ...config.exporters.otlp, endpoint: url }, 'logs', () => undefined);
  if (!settings.ok) throw new Error(settings.problems.join('; '));
  const built = createOtlpLogExporter(settings.value);
  if (!built.ok) throw new Error(built.problem);
  const inner = built.value;
  let exported = 0;
  const processor = new BatchLogRecordProcessor({
    exporter: {
      export: (logs, done) => inner.export(logs, (r) => ((exported += r.code === 0 ? logs.length : 0), done(r))),
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    },
    maxQueueSize: batch.max_queue_size,
    maxExportBatchSize: Math.min(batch.max_export_batch_size, batch.max_queue_size),
    scheduledDelayMillis: batch.scheduled_delay_ms,
    exportTimeoutMillis: batch.export_timeout_ms,
  });
  const chunk = replayChunk(config);
  const m = await measure(n, async () => {
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      for (let i = start; i < end; i++) processor.onEmit(records[i % records.length]!);
      await processor.forceFlush();
    }
  });
  if (exported !== n) throw new Error(`floor exported ${exported} of ${n}`);
  await processor.shutdown();
  return m;
}

const receiver = await startReceiver();
// Best of three runs each: the 2-core machine is shared (the receiver process, other jobs), and the best run
// is the one least disturbed by them.
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
function best(runs: readonly Measure[]): Measure {
  return {
    eventsPerSecond: Math.max(...runs.map((r) => r.eventsPerSecond)),
    cpuUsPerEvent: Math.min(...runs.map((r) => r.cpuUsPerEvent)),
  };
}
await runPipeline(receiver.url, items.slice(0, 20_000)); // warm-up
const pipelineRuns: Measure[] = [];
for (let i = 0; i < RUNS; i++) pipelineRuns.push(await runPipeline(receiver.url, items));
const pipelineRun = best(pipelineRuns);
const peakRssMb = process.resourceUsage().maxRSS / 1024;

const prebuilt: EventLogRecord[] = [];
{
  const pipeline = pipelineFor();
  const scope = { name: 'wfp-block-agent', version: AGENT_VERSION };
  for (const item of mix) {
    const r = pipeline.process(item);
    if (r.ok) prebuilt.push(new EventLogRecord(r.value.record, RESOURCE, scope, hrNow()));
  }
}
await runFloor(receiver.url, prebuilt, 20_000); // warm-up
const floorRuns: Measure[] = [];
for (let i = 0; i < RUNS; i++) floorRuns.push(await runFloor(receiver.url, prebuilt, items.length));
const floorRun = best(floorRuns);
const receivedBytes = await receiver.stop();

const ratio = pipelineRun.eventsPerSecond / floorRun.eventsPerSecond;
console.log(`machine: ${platform()} ${release()} ${arch()}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`);
console.log(`input: ${items.length} events (${xml.length} XML + ${json.length} JSON-line real events, XML repeated to half the mix), all collected (allowed traffic too); OTLP http/protobuf, no compression; receiver in a child process got ${(receivedBytes / 1e6).toFixed(1)} MB`);
const list = (runs: readonly Measure[]) => runs.map((r) => Math.round(r.eventsPerSecond)).join(', ');
console.log(`pipeline runs (events/s): ${list(pipelineRuns)}; best ${pipelineRun.cpuUsPerEvent.toFixed(1)} µs CPU/event`);
console.log(`floor runs (pre-built records, same exporter, records/s): ${list(floorRuns)}; best ${floorRun.cpuUsPerEvent.toFixed(1)} µs CPU/record`);
// What the ratio depends on: the CPU an event costs before export. R = floor cost / pipeline cost per event, so
// R >= 0.7 needs this under 0.43 × the floor's cost; a faster exporter lowers R.
const beforeExport = pipelineRun.cpuUsPerEvent - floorRun.cpuUsPerEvent;
console.log(
  `CPU per event before export (pipeline − floor): ${beforeExport.toFixed(1)} µs; R >= 0.7 would need <= ${(0.43 * floorRun.cpuUsPerEvent).toFixed(1)} µs`,
);
console.log(
  `events_per_second=${Math.round(pipelineRun.eventsPerSecond)} cpu_us_per_event=${pipelineRun.cpuUsPerEvent.toFixed(1)} ` +
    `peak_rss_mb=${peakRssMb.toFixed(0)} sdk_floor_ratio=${ratio.toFixed(2)}`,
);
