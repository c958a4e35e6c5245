// `npm run bench:flood [-- --seconds S --rate R --mode log|aggregate --batch-size B]`: a packet-drop flood (a port scan: 5152s over 256 local ports,
// one 5157 in 200) through the agent's production path in a child process (flood-agent.ts: run command, source,
// pipeline, flood control, pump, OTel sink, checkpoint; the bridge is the TS synthetic one until the C# bridge's
// producer can drive the real process) into an OTLP/protobuf receiver here. Once with `packet_drops: log`, once
// with `aggregate`. Per mode one line; the `log` line last:
//   rate=R seconds=S events=N lost=L cpu_pct=C peak_rss_mb=M p99_latency_ms=P
// lost: events up to the agent's final checkpoint neither received as their own record nor counted in a received
// summary; events after it were not read yet (`backlog`, read at the next start: at-least-once). cpu_pct: the agent
// process's CPU time over its wall time (% of one core). Latency: from the time the record was written to the
// synthetic log (its SystemTime) to its arrival here (aggregate: 5157 records only; summaries wait by design).
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, cpus, platform, release } from 'node:os';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';
import type { FloodAgentReport, FloodSettings } from './flood-agent.ts';

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
const PORTS = 256;
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

function p99(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

async function runMode(mode: 'log' | 'aggregate'): Promise<string> {
  settingsMode = mode;
  const total = Math.round(rate * seconds);
  const blocks = Math.floor(total / BLOCK_EVERY);
  const receiver = await startReceiver(total);
  const batchSize = values['batch-size'] === undefined ? null : Number(values['batch-size']);
  const settings: FloodSettings = { rate, seconds, mode, endpoint: receiver.url, ports: PORTS, blockEvery: BLOCK_EVERY, batchSize };
  const child = fork(new URL('./flood-agent.ts', import.meta.url), [], {
    env: { ...process.env, BENCH_FLOOD: JSON.stringify(settings) },
    execArgv: ['--max-semi-space-size=16', '--v8-pool-size=1'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const report = new Promise<FloodAgentReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as FloodAgentReport));
    child.once('exit', (code) => reject(new Error(`the agent process exited (${code}) without a report`)));
  });
  try {
    // Produce, then let the agent drain: every record (log) or every 5157 (aggregate: the drops are in the open
    // window until stop) received, or the drain timeout.
    const until = Date.now() + seconds * 1000 + DRAIN_TIMEOUT_MS;
    const drained = (): boolean => (mode === 'log' ? receiver.tally.records >= total : receiver.tally.blocks >= blocks);
    while (!drained() && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    child.send('stop');
    const r = await report;
    if (r.exitCode !== 0) process.stderr.write(r.stderr);
    const t = receiver.tally;
    const checkpoint = Math.min(total, r.checkpoint);
    let seen = 0;
    for (let id = 1; id <= checkpoint; id++) seen += t.ids[id]!;
    const lost = Math.max(0, checkpoint - seen - t.summaryCount);
    const figures = `rate=${rate} seconds=${seconds} events=${total} lost=${lost} cpu_pct=${((100 * r.cpuMs) / r.wallMs).toFixed(1)} peak_rss_mb=${r.peakRssMb.toFixed(0)} p99_latency_ms=${p99(t.latencies).toFixed(0)}`;
    const extra =
      `mode=${mode} log_records=${t.records} records_per_event=${(t.records / total).toFixed(4)} summaries=${t.summaries} ` +
      `blocks_5157=${blocks} logged_5157=${t.blocks} duplicates=${t.duplicates} backlog=${total - checkpoint} ` +
      `flushes=${r.flushes} flush_ms_avg=${(r.flushMs / Math.max(1, r.flushes)).toFixed(1)} ` +
      `receiver_requests=${t.requests} receiver_ms_avg=${(t.decodeMs / Math.max(1, t.requests)).toFixed(1)} agent_exit=${r.exitCode}`;
    return `${extra}\n${figures}`;
  } finally {
    receiver.close();
    if (child.exitCode === null) child.kill();
  }
}

process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${platform()} ${release()} ${arch()}, Node ${process.version}\n`);
const modes: ('log' | 'aggregate')[] = values.mode === 'log' || values.mode === 'aggregate' ? [values.mode] : ['aggregate', 'log'];
for (const mode of modes) process.stdout.write(`${await runMode(mode)}\n`);
