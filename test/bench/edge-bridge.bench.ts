// The bridge's marshalling path alone: the real net48 assembly loaded by edge-js (CoreCLR, built by
// test/setup/steps/11-edge-js.sh), its synthetic producer, batches of 256, JS answering at once (no pipeline, no
// export). Measures bridge + edge-js + the TS host, not the Windows event log.
//   npm run build:bridge && node test/bench/edge-bridge.bench.ts [--records N]
//     throughput: N records (default 100,000) of 1.2 KB event XML (ms-docs 5157) as fast as they go.
//   npm run bench:bridge-soak [-- --minutes M --rate R --batch-size B --max-delay-ms D]
//     memory: a steady R records/s (default 2,000, bench:soak's mix: 5152s with one 5157 in 200) for M minutes
//     (default 10), RSS and V8 heap every minute, then their slopes after the warm-up as bench:soak prints them,
//     and the RSS drift per CLR-to-JS call and per record (vary B and D to see which one it follows).
//     With the agent's V8 flags, so the two benches' figures compare: what the whole agent's drift owes to the
//     bridge path (CoreCLR here; on Windows, run without EDGE_USE_CORECLR to measure .NET Framework's).
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bridgeProducer, createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import type { BridgeAnswer, BridgeMessage, BridgeStartOptions } from '../../agent/bridge/index.ts';
import { benchTemplate, machineLine } from './real-agent.ts';
import { slopePer10Min } from './slope.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    soak: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    // The bridge's batching: how many CLR-to-JS calls carry the same records (each call costs edge-js memory
    // on CoreCLR, see agent/README.md "Benchmarks").
    'batch-size': { type: 'string', default: '256' },
    'max-delay-ms': { type: 'string', default: '100' },
  },
});

const EDGE = fileURLToPath(new URL('../../.tools/edge-js/node_modules/edge-js', import.meta.url));
if (!existsSync(EDGE) || !existsSync(DEFAULT_BRIDGE_ASSEMBLY)) {
  console.log('Needs .tools/edge-js (bash test/setup/steps/11-edge-js.sh) and the net48 assembly (npm run build:bridge).');
  process.exit(2);
}
if (platform() !== 'win32') process.env['EDGE_USE_CORECLR'] = '1';
const host = createEdgeBridgeHost({ assemblyFile: DEFAULT_BRIDGE_ASSEMBLY, edgeModule: EDGE });
if (!host.ok) throw new Error(host.error);
const bridge = host.value;
const baseOptions = {
  channel: 'Security', eventIds: [5152, 5157], start: { mode: 'after', recordId: 0 },
  batchSize: Number(values['batch-size']), maxDelayMs: Number(values['max-delay-ms']),
  queueBound: 4096, resumeBelow: 1024, backoffInitialMs: 10, backoffMaxMs: 50, stopTimeoutMs: 2000,
};
let received = 0;
let calls = 0;
const onMessage = async (message: BridgeMessage): Promise<BridgeAnswer> => {
  calls++;
  if (message.type === 'records') received += message.recordIds.length;
  return { ok: true };
};
// edge-js holds no handle on Node's event loop while .NET works: keep the process alive until done.
const keepAlive = setInterval(() => undefined, 1000);

if (!values.soak) {
  const total = Number(values.records);
  const xml = readFileSync(new URL('../fixtures/ms-docs/event-5157.xml', import.meta.url), 'utf8').replace(/<EventRecordID>\d+</, '<EventRecordID>{id}<');
  const started = performance.now();
  const result = await bridge.start({ ...baseOptions, producer: { kind: 'synthetic', firstId: 1, count: total, template: xml } } as BridgeStartOptions, onMessage);
  if (!result.ok) throw new Error(result.error);
  while (received < total) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  await bridge.stop();
  console.log(`edge-bridge: ${received} records of ${xml.length} chars in ${seconds.toFixed(2)} s = ${Math.round(received / seconds)} records/s`);
  console.log(`machine: ${platform()} ${release()}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}`);
} else {
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const warmupMinutes = Math.min(2, minutes / 3);
  const SAMPLE_MS = 5000;
  process.stdout.write(`${machineLine()}\n`);
  const startUnixMs = Date.now() + 1000;
  const producer = bridgeProducer({
    rate, startUnixMs, mix: { '5152': 199, '5157': 1 }, templates: { '5152': benchTemplate(5152), '5157': benchTemplate(5157) },
  });
  const result = await bridge.start({ ...baseOptions, producer } as BridgeStartOptions, onMessage);
  if (!result.ok) throw new Error(result.error);
  const samples: { at: number; rssMb: number; heapUsedMb: number; heapTotalMb: number }[] = [];
  const cpuAtStart = process.cpuUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    samples.push({ at: Date.now(), rssMb: m.rss / 2 ** 20, heapUsedMb: m.heapUsed / 2 ** 20, heapTotalMb: m.heapTotal / 2 ** 20 });
  }, SAMPLE_MS);
  for (let minute = 1; minute <= minutes; minute++) {
    await new Promise((r) => setTimeout(r, 60_000));
    const last = samples.at(-1);
    process.stdout.write(
      `minute=${minute} rss_mb=${last?.rssMb.toFixed(1)} heap_used_mb=${last?.heapUsedMb.toFixed(1)} heap_total_mb=${last?.heapTotalMb.toFixed(1)} received=${received} calls=${calls}\n`,
    );
  }
  clearInterval(sampler);
  const lag = Math.floor(((Date.now() - startUnixMs) / 1000) * rate) - received;
  await bridge.stop();
  const steady = samples.filter((x) => x.at >= startUnixMs + warmupMinutes * 60_000);
  const cpu = process.cpuUsage(cpuAtStart);
  const cpuPct = (100 * (cpu.user + cpu.system)) / 1000 / (minutes * 60_000);
  const rssSlope = slopePer10Min(steady.map((x) => [x.at, x.rssMb] as const));
  // What the drift costs per CLR-to-JS call and per record: which of the two it follows says where it is.
  const callsPerS = calls / (minutes * 60);
  const perCall = (rssSlope * 2 ** 20) / (callsPerS * 600);
  const perRecord = (rssSlope * 2 ** 20) / (rate * 600);
  process.stdout.write(
    `warmup_minutes=${warmupMinutes} steady_samples=${steady.length} cpu_pct=${cpuPct.toFixed(1)} batch_size=${values['batch-size']} ` +
      `max_delay_ms=${values['max-delay-ms']} calls_per_s=${callsPerS.toFixed(1)} rss_bytes_per_call=${perCall.toFixed(0)} rss_bytes_per_record=${perRecord.toFixed(1)}\n`,
  );
  process.stdout.write(
    `bridge-only rate=${rate} minutes=${minutes} rss_slope_mb_per_10min=${rssSlope.toFixed(2)} ` +
      `heap_slope_mb_per_10min=${slopePer10Min(steady.map((x) => [x.at, x.heapUsedMb] as const)).toFixed(2)} ` +
      `peak_rss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(0)} lag_records=${lag}\n`,
  );
}
clearInterval(keepAlive);
