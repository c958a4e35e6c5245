// Catch-up cost of a large backlog: the real net48 assembly through edge-js (CoreCLR, built by
// test/setup/steps/11-edge-js.sh) with its synthetic producer holding N records (default 1,000,000), the
// default queue bound and batch size (config/agent.yaml), and a consumer slower than the producer (JS answers
// each batch after a timer). A visit is the producer handing a record to the handler, counted by the producer:
// with a handler that rejects on a full queue and a watcher restarted after each pause, every restart walked
// the remaining backlog again (~10^8 visits for 10^6 records); the target is visits_per_record <= 1.05.
//   npm run build:bridge && node test/bench/backlog.bench.ts [records]
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { bridgeProducer, createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import type { BridgeStartOptions } from '../../agent/bridge/index.ts';
import { loadConfig } from '../../agent/config/index.ts';

console.log(`machine: ${platform()} ${release()}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}`);
const EDGE = fileURLToPath(new URL('../../.tools/edge-js/node_modules/edge-js', import.meta.url));
if (!existsSync(EDGE) || !existsSync(DEFAULT_BRIDGE_ASSEMBLY)) {
  console.log('Needs .tools/edge-js (bash test/setup/steps/11-edge-js.sh) and the net48 assembly (npm run build:bridge).');
  process.exit(1);
}
const total = Number(process.argv[2] ?? 1_000_000);
const source = loadConfig(undefined).source;
const template = readFileSync(new URL('../fixtures/ms-docs/event-5157.xml', import.meta.url), 'utf8').replace(/<EventRecordID>\d+</, '<EventRecordID>{id}<');
const producer = bridgeProducer({ firstId: 1, backlog: total, template });
const host = createEdgeBridgeHost({ assemblyFile: DEFAULT_BRIDGE_ASSEMBLY, edgeModule: EDGE, producer });
if (!host.ok) throw new Error(host.error);
const bridge = host.value;
let received = 0;
let lastId = 0;
let outOfOrder = 0;
let finished: () => void = () => undefined;
const all = new Promise<void>((resolve) => (finished = resolve));
// edge-js holds no handle on Node's event loop while .NET works: keep the process alive until done.
const keepAlive = setInterval(() => undefined, 1000);
const queueBound = Math.max(source.queue_bound, source.batch_size);
const options: BridgeStartOptions = {
  channel: 'Security',
  eventIds: [5157],
  start: { mode: 'beginning' },
  batchSize: source.batch_size,
  maxDelayMs: source.max_delay_ms,
  queueBound,
  resumeBelow: Math.max(1, Math.floor(queueBound / 4)),
  backoffInitialMs: source.backoff_initial_ms,
  backoffMaxMs: source.backoff_max_ms,
  stopTimeoutMs: 5000,
};
const started = performance.now();
const result = await bridge.start(options, async (message) => {
  if (message.type !== 'records') return { ok: true };
  for (const id of message.recordIds) {
    if (id !== lastId + 1) outOfOrder++;
    lastId = id;
  }
  received += message.recordIds.length;
  if (received >= total) finished();
  // The slower consumer: the producer fills the queue while JS waits here.
  await new Promise((r) => setTimeout(r, 2));
  return { ok: true };
});
if (!result.ok) throw new Error(result.error);
await all;
const seconds = (performance.now() - started) / 1000;
const stats = await bridge.syntheticStats();
clearInterval(keepAlive);
await bridge.stop();
if (!stats.ok) throw new Error(stats.error);
console.log(`queue_bound=${queueBound} batch_size=${source.batch_size} subscriptions=${stats.value.subscriptions} received=${received} out_of_order=${outOfOrder}`);
console.log(
  `backlog_records=${total} record_visits=${stats.value.visits} visits_per_record=${(stats.value.visits / total).toFixed(3)} seconds=${seconds.toFixed(1)}`,
);
