// Throughput of the bridge's marshalling path: the real net48 assembly loaded by edge-js (CoreCLR, built by
// test/setup/steps/11-edge-js.sh), its synthetic producer, 1.2 KB event XML (ms-docs 5157), batches of 256,
// JS answering at once. Measures bridge + edge-js + the TS host, not the Windows event log.
//   npm run build:bridge && node test/bench/edge-bridge.bench.ts [records]
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import type { BridgeStartOptions } from '../../agent/bridge/index.ts';

const EDGE = fileURLToPath(new URL('../../.tools/edge-js/node_modules/edge-js', import.meta.url));
if (!existsSync(EDGE) || !existsSync(DEFAULT_BRIDGE_ASSEMBLY)) {
  console.log('Needs .tools/edge-js (bash test/setup/steps/11-edge-js.sh) and the net48 assembly (npm run build:bridge).');
  process.exit(0);
}
process.env['EDGE_USE_CORECLR'] = '1';
const total = Number(process.argv[2] ?? 100_000);
const xml = readFileSync(new URL('../fixtures/ms-docs/event-5157.xml', import.meta.url), 'utf8').replace(/<EventRecordID>\d+</, '<EventRecordID>{id}<');
const host = createEdgeBridgeHost({ assemblyFile: DEFAULT_BRIDGE_ASSEMBLY, edgeModule: EDGE });
if (!host.ok) throw new Error(host.error);
let received = 0;
let finished: () => void = () => undefined;
const all = new Promise<void>((resolve) => (finished = resolve));
// edge-js holds no handle on Node's event loop while .NET works: keep the process alive until done.
const keepAlive = setInterval(() => undefined, 1000);
const started = performance.now();
const options = {
  channel: 'Security', eventIds: [5157], start: { mode: 'after', recordId: 0 }, batchSize: 256, maxDelayMs: 100,
  queueBound: 4096, resumeBelow: 1024, backoffInitialMs: 10, backoffMaxMs: 50, stopTimeoutMs: 2000,
  producer: { kind: 'synthetic', firstId: 1, count: total, template: xml },
} as BridgeStartOptions;
const result = await host.value.start(options, async (message) => {
  if (message.type === 'records') {
    received += message.recordIds.length;
    if (received >= total) finished();
  }
  return { ok: true };
});
if (!result.ok) throw new Error(result.error);
await all;
const seconds = (performance.now() - started) / 1000;
clearInterval(keepAlive);
await host.value.stop();
console.log(`edge-bridge: ${received} records of ${xml.length} chars in ${seconds.toFixed(2)} s = ${Math.round(received / seconds)} records/s`);
console.log(`machine: ${platform()} ${release()}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}`);
