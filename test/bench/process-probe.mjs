// Preloaded into the agent process by the real-process benchmarks (`node --import <this>`; not part of the agent):
// appends one JSON line of the process's own figures to $WFP_BENCH_PROBE every $WFP_BENCH_PROBE_MS (default
// 1000) and once more at exit, so CPU time and peak RSS cover the whole life of the process and the heap is seen
// from inside (RSS alone mixes V8, CoreCLR and malloc).
import { appendFileSync } from 'node:fs';

const file = process.env.WFP_BENCH_PROBE;
if (file) {
  const started = Date.now();
  /** @param {boolean} final */
  const sample = (final) => {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const line = {
      at: Date.now(),
      t: Date.now() - started,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMb: mem.rss / 2 ** 20,
      heapUsedMb: mem.heapUsed / 2 ** 20,
      heapTotalMb: mem.heapTotal / 2 ** 20,
      externalMb: mem.external / 2 ** 20,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      final,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(() => sample(false), Number(process.env.WFP_BENCH_PROBE_MS ?? 1000)).unref();
  process.on('exit', () => sample(true));
}
