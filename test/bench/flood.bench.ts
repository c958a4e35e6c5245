// `npm run bench:flood [-- --seconds S --rate R --mode log|aggregate --batch-size B]`: a packet-drop flood (5152s
// with one 5157 in 200, i.e. 100/s at 20,000/s) through the REAL agent process (real-agent.ts: `wfp-agent run` with
// the service's V8 flags, the real net48 bridge on edge-js/CoreCLR with its synthetic producer; everything after the
// producer is the production path) into an OTLP/protobuf receiver here. Once with `packet_drops: aggregate`, once
// with `log`. Per mode one line of detail, then:
//   rate=R seconds=S events=N lost=L cpu_pct=C peak_rss_mb=M p99_latency_ms=P
// lost: events up to the agent's final checkpoint neither received as their own record nor counted in a received
// summary; events after it were not read yet (`backlog`, read at the next start: at-least-once; a run that leaves a
// backlog or does not drain says NOT DRAINED on stderr and exits 1). cpu_pct: the agent
// process's CPU time over wall time (% of one core) from the producer's first record until drained (or the drain
// timeout). peak_rss_mb: the process's maxRSS. Latency: from the record's time in the synthetic log (when the
// producer makes it available) to its arrival here (aggregate: 5157 records only; summaries wait by design).
// The producer starts writing WARMUP_MS after the spawn, so the agent's start-up is not counted as latency.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import { benchTemplate, machineLine, realAgentUnavailable, startRealAgent } from './real-agent.ts';
import type { ProbeSample } from './real-agent.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '20000' },
    mode: { type: 'string' },
    // source.batch_size for the agent (default: the config's default, 256).
    'batch-size': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const BLOCK_EVERY = 200;
const WARMUP_MS = 8000;
const DRAIN_TIMEOUT_MS = 120_000;

interface Tally {
  readonly ids: Uint8Array;
  duplicates: number;
  summaryCount: number;
  summaries: number;
  records: number;
  blocks: number;
  /** Log requests and the time this receiver spent decoding them (it is on the agent's export round trip). */
  requests: number;
  decodeMs: number;
  readonly latencies: number[];
}

// The part of OTLP's logs.proto / common.proto the figures read (field numbers as in opentelemetry-proto v1);
// protobufjs skips the other fields. Inline, so the bench needs no unpacked .proto files.
const OTLP_LOGS_SUBSET = `
syntax = "proto3";
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message LogRecord { fixed64 time_unix_nano = 1; repeated KeyValue attributes = 6; string event_name = 12; }
message ScopeLogs { repeated LogRecord log_records = 2; }
message ResourceLogs { repeated ScopeLogs scope_logs = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`;

type Long = { toNumber(): number } | number;
const num = (v: Long | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

interface KeyValue {
  key: string;
  value?: { intValue?: Long; stringValue?: string };
}
interface LogRecordMsg {
  eventName?: string;
  timeUnixNano?: Long;
  attributes?: KeyValue[];
}

function attr(r: LogRecordMsg, key: string): number | null {
  const kv = r.attributes?.find((a) => a.key === key);
  return kv?.value?.intValue === undefined ? null : num(kv.value.intValue);
}

/** An OTLP/HTTP receiver that keeps only what the figures need (record ids seen, summary counts, latencies). */
async function startReceiver(total: number): Promise<{ url: string; tally: Tally; close: () => void }> {
  const tally: Tally = { ids: new Uint8Array(total + 1), duplicates: 0, summaryCount: 0, summaries: 0, records: 0, blocks: 0, requests: 0, decodeMs: 0, latencies: [] };
  const logs = protobuf.parse(OTLP_LOGS_SUBSET).root.lookupType('ExportLogsServiceRequest');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      if (req.url?.endsWith('/v1/logs') === true) {
        const t0 = performance.now();
        tally.requests++;
        const msg = logs.decode(Buffer.concat(chunks)) as unknown as { resourceLogs: { scopeLogs: { logRecords: LogRecordMsg[] }[] }[] };
        for (const rl of msg.resourceLogs) {
          for (const sl of rl.scopeLogs) {
            for (const r of sl.logRecords) {
              tally.records++;
              if (r.eventName === 'wfp.packet.dropped.summary') {
                tally.summaries++;
                tally.summaryCount += attr(r, 'wfp.summary.count') ?? 0;
                continue;
              }
              const id = attr(r, 'windows.event.record_id');
              if (id === null || id > total) continue;
              if (tally.ids[id] === 1) tally.duplicates++;
              tally.ids[id] = 1;
              const isBlock = r.eventName === 'wfp.connection.blocked';
              if (isBlock) tally.blocks++;
              if (isBlock || settingsMode === 'log') tally.latencies.push(now - num(r.timeUnixNano) / 1e6);
            }
          }
        }
        tally.decodeMs += performance.now() - t0;
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tally, close: () => server.close() };
}

let settingsMode: 'log' | 'aggregate' = 'log';

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}
const p99 = (values: number[]): number => percentile(values, 0.99);
const p50 = (values: number[]): number => percentile(values, 0.5);

async function runMode(mode: 'log' | 'aggregate'): Promise<string> {
  settingsMode = mode;
  const total = Math.round(rate * seconds);
  const blocks = Math.floor(total / BLOCK_EVERY);
  const receiver = await startReceiver(total);
  const batchSize = values['batch-size'] === undefined ? null : Number(values['batch-size']);
  const producerStart = Date.now() + WARMUP_MS;
  const agent = startRealAgent({
    endpoint: receiver.url,
    producer: {
      rate,
      count: total,
      startUnixMs: producerStart,
      mix: { '5152': BLOCK_EVERY - 1, '5157': 1 },
      templates: { '5152': benchTemplate(5152), '5157': benchTemplate(5157) },
    },
    configYaml: [
      `events: {packet_drops: ${mode}}`,
      'metrics: {export_interval_ms: 10000}',
      `source: {start_position: beginning${batchSize === null ? '' : `, batch_size: ${batchSize}`}}`,
    ].join('\n'),
  });
  try {
    // Produce, then let the agent drain: every record (log) or every 5157 (aggregate: the drops are in the open
    // window until stop) received, or the drain timeout.
    // Per-thread CPU from the producer's first record until drained (Linux): which part of the process spends it.
    let threadsAtStart: ReturnType<typeof agent.threadCpuMs> = null;
    const startTimer = setTimeout(() => (threadsAtStart = agent.threadCpuMs()), Math.max(0, producerStart - Date.now()));
    const until = producerStart + seconds * 1000 + DRAIN_TIMEOUT_MS;
    const drained = (): boolean => (mode === 'log' ? receiver.tally.records >= total : receiver.tally.blocks >= blocks);
    while (!drained() && Date.now() < until && agent.child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    const drainedAt = Date.now();
    clearTimeout(startTimer);
    const threadsAtEnd = agent.threadCpuMs();
    const exit = await agent.stop();
    if (exit !== 0) process.stderr.write(agent.stderr());
    const samples = agent.samples();
    const final = samples.find((x) => x.final) ?? samples.at(-1);
    // CPU over the flood: from the last sample before the producer's first record to the first one after drained.
    const from = samples.filter((x) => !x.final && x.at <= producerStart).at(-1) ?? samples[0];
    const to = samples.find((x) => !x.final && x.at >= drainedAt) ?? final;
    const cpuPct = from === undefined || to === undefined || to.at === from.at ? Number.NaN : (100 * (to.cpuMs - from.cpuMs)) / (to.at - from.at);
    const lifeCpuPct = final === undefined ? Number.NaN : (100 * final.cpuMs) / Math.max(1, final.t);
    const t = receiver.tally;
    const start = threadsAtStart as ReturnType<typeof agent.threadCpuMs>;
    const threadText =
      start === null || threadsAtEnd === null
        ? ''
        : ' ' +
          (Object.keys(threadsAtEnd) as (keyof typeof threadsAtEnd)[])
            .map((g) => `${g}_threads_cpu_pct=${((100 * (threadsAtEnd[g] - start[g])) / Math.max(1, drainedAt - producerStart)).toFixed(1)}`)
            .join(' ');
    const checkpoint = Math.min(total, agent.checkpoint());
    let seen = 0;
    for (let id = 1; id <= checkpoint; id++) seen += t.ids[id]!;
    const lost = Math.max(0, checkpoint - seen - t.summaryCount);
    // Not lost (the next start reads it: at-least-once), but the run did not show the agent keeping up: say so
    // beside the figures and fail the command, so a lost=0 of an undrained run is never read as a pass.
    if (total - checkpoint > 0 || !drained()) {
      process.stderr.write(`bench:flood: ${mode}: NOT DRAINED within ${DRAIN_TIMEOUT_MS / 1000} s of the producer's end: backlog=${total - checkpoint} records past the final checkpoint\n`);
      process.exitCode = 1;
    }
    const figures = `rate=${rate} seconds=${seconds} events=${total} lost=${lost} cpu_pct=${cpuPct.toFixed(1)} peak_rss_mb=${(final?.peakRssMb ?? Number.NaN).toFixed(0)} p99_latency_ms=${p99(t.latencies).toFixed(0)}`;
    const maxHeap = Math.max(...samples.map((x) => x.heapUsedMb));
    // The agent at rest before the first record (started, subscribed, nothing to read): what the flood adds.
    const idle = samples.filter((x) => !x.final && x.at >= producerStart - 3000 && x.at <= producerStart);
    const idleCpuPct = idle.length < 2 ? Number.NaN : (100 * (idle.at(-1)!.cpuMs - idle[0]!.cpuMs)) / (idle.at(-1)!.at - idle[0]!.at);
    const idleRss = idle.at(-1)?.rssMb ?? Number.NaN;
    const rest = idle.at(-1);
    const idleText = rest === undefined ? '' : ` idle_heap_total_mb=${rest.heapTotalMb.toFixed(0)} idle_native_mb=${(rest.rssMb - rest.heapTotalMb - rest.externalMb).toFixed(0)}`;
    // Where the memory is at the largest RSS sample: V8's heap (reserved and used), its external memory (buffers,
    // edge-js), the rest native (CoreCLR, malloc, code).
    const top = samples.filter((x) => !x.final).reduce<ProbeSample | undefined>((a, x) => (a === undefined || x.rssMb > a.rssMb ? x : a), undefined);
    const topText =
      top === undefined
        ? ''
        : ` top_rss_mb=${top.rssMb.toFixed(0)} top_heap_total_mb=${top.heapTotalMb.toFixed(0)} top_heap_used_mb=${top.heapUsedMb.toFixed(0)} top_external_mb=${top.externalMb.toFixed(0)} top_native_mb=${(top.rssMb - top.heapTotalMb - top.externalMb).toFixed(0)}`;
    const extra =
      `mode=${mode} log_records=${t.records} records_per_event=${(t.records / total).toFixed(4)} summaries=${t.summaries} ` +
      `blocks_5157=${blocks} logged_5157=${t.blocks} duplicates=${t.duplicates} backlog=${total - checkpoint} ` +
      `drain_s=${((drainedAt - producerStart) / 1000).toFixed(1)}${threadText} p50_latency_ms=${p50(t.latencies).toFixed(0)} ` +
      `max_heap_used_mb=${maxHeap.toFixed(0)}${topText} idle_rss_mb=${idleRss.toFixed(0)}${idleText} idle_cpu_pct=${idleCpuPct.toFixed(1)} life_cpu_pct=${lifeCpuPct.toFixed(1)} ` +
      `receiver_requests=${t.requests} receiver_ms_avg=${(t.decodeMs / Math.max(1, t.requests)).toFixed(1)} agent_exit=${exit}`;
    return `${extra}\n${figures}`;
  } finally {
    receiver.close();
    await agent.dispose();
  }
}

const unavailable = realAgentUnavailable();
if (unavailable !== null) {
  process.stderr.write(`bench:flood: ${unavailable}\n`);
  process.exit(2);
}
process.stdout.write(`${machineLine()}\n`);
const modes: ('log' | 'aggregate')[] = values.mode === 'log' || values.mode === 'aggregate' ? [values.mode] : ['aggregate', 'log'];
for (const mode of modes) process.stdout.write(`${await runMode(mode)}\n`);
