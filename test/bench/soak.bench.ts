// `npm run bench:soak [-- --minutes N --rate R --warmup-minutes W --batch-size B]`: the REAL agent process (real-agent.ts: the real
// net48 bridge on edge-js/CoreCLR with its synthetic producer, then the production path) at a steady R events/s
// (default 2,000; 5152s with one 5157 in 200, `packet_drops: log` so every event becomes an exported record) into an
// OTLP/protobuf receiver here, for N minutes (default 10). Prints RSS and V8 heap every minute, then the slope of
// each after the warm-up (least squares over the 5-second samples, in MB per 10 minutes). Last line:
//   rate=R minutes=N rss_slope_mb_per_10min=S heap_slope_mb_per_10min=H peak_rss_mb=M lag_records=L
// lag_records: records written to the synthetic log but not yet in the checkpoint at the end (should stay near one
// batch; a growing lag would mean the agent does not keep up, and memory would be the queue's, not a leak).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { ProbeSample } from './real-agent.ts';
import { benchTemplate, machineLine, realAgentUnavailable, startRealAgent } from './real-agent.ts';
import { slopePer10Min } from './slope.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    'warmup-minutes': { type: 'string' },
    // source.batch_size (default: the config's, 256). Each batch is one CLR-to-JS call, and on CoreCLR edge-js
    // keeps ~250 bytes of every call (agent/README.md "Benchmarks"): a smaller batch shows how much of the drift
    // follows the calls.
    'batch-size': { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const warmupMinutes = values['warmup-minutes'] === undefined ? Math.min(2, minutes / 3) : Number(values['warmup-minutes']);
const STARTUP_MS = 8000;
const PROBE_MS = 5000;

const unavailable = realAgentUnavailable();
if (unavailable !== null) {
  process.stderr.write(`bench:soak: ${unavailable}\n`);
  process.exit(2);
}
process.stdout.write(`${machineLine()}\n`);

// The receiver only counts: decoding every request would load the shared machine and tells nothing about memory.
let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (c: Buffer) => (bytes += c.length));
  req.on('end', () => {
    if (req.url?.endsWith('/v1/logs') === true) requests++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const producerStart = Date.now() + STARTUP_MS;
const agent = startRealAgent({
  endpoint,
  probeMs: PROBE_MS,
  producer: { rate, startUnixMs: producerStart, mix: { '5152': 199, '5157': 1 }, templates: { '5152': benchTemplate(5152), '5157': benchTemplate(5157) } },
  configYaml: ['events: {packet_drops: log}', 'metrics: {export_interval_ms: 10000}', `source: {start_position: beginning${values['batch-size'] === undefined ? '' : `, batch_size: ${Number(values['batch-size'])}`}}`].join('\n'),
});
const written = (): number => Math.max(0, Math.floor(((Date.now() - producerStart) / 1000) * rate));
try {
  await new Promise((r) => setTimeout(r, STARTUP_MS));
  for (let minute = 1; minute <= minutes; minute++) {
    await new Promise((r) => setTimeout(r, 60_000));
    if (agent.child.exitCode !== null) throw new Error(`the agent exited (${agent.child.exitCode}): ${agent.stderr()}`);
    const last = agent.samples().at(-1);
    process.stdout.write(
      `minute=${minute} rss_mb=${last?.rssMb.toFixed(1)} heap_used_mb=${last?.heapUsedMb.toFixed(1)} heap_total_mb=${last?.heapTotalMb.toFixed(1)} ` +
        `external_mb=${last?.externalMb.toFixed(1)} written=${written()} checkpoint=${agent.checkpoint()} requests=${requests} received_mb=${(bytes / 2 ** 20).toFixed(0)}\n`,
    );
  }
  const lag = written() - agent.checkpoint();
  const exit = await agent.stop();
  if (exit !== 0) process.stderr.write(agent.stderr());
  const samples = agent.samples();
  const steady = samples.filter((x: ProbeSample) => !x.final && x.at >= producerStart + warmupMinutes * 60_000);
  const rssSlope = slopePer10Min(steady.map((x) => [x.at, x.rssMb] as const));
  const heapSlope = slopePer10Min(steady.map((x) => [x.at, x.heapUsedMb] as const));
  const final = samples.find((x) => x.final) ?? samples.at(-1);
  const cpuPct = final === undefined ? Number.NaN : (100 * final.cpuMs) / Math.max(1, final.t);
  process.stdout.write(`warmup_minutes=${warmupMinutes} steady_samples=${steady.length} cpu_pct=${cpuPct.toFixed(1)} agent_exit=${exit}\n`);
  process.stdout.write(
    `rate=${rate} minutes=${minutes} rss_slope_mb_per_10min=${rssSlope.toFixed(2)} heap_slope_mb_per_10min=${heapSlope.toFixed(2)} ` +
      `peak_rss_mb=${(final?.peakRssMb ?? Number.NaN).toFixed(0)} lag_records=${lag}\n`,
  );
} finally {
  await agent.dispose();
  server.close();
}
