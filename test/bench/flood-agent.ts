// The agent side of `npm run bench:flood`, in its own process: `wfp-agent run`'s production path (run command,
// Windows source, pipeline, flood control, live pump, OTel sink over OTLP/protobuf, real checkpoint) with the
// synthetic bridge in place of the C# one. Started by flood.bench.ts with BENCH_FLOOD (JSON settings); stops on
// the message 'stop' and answers with its CPU time, wall time and peak RSS.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics as otelMetrics } from '@opentelemetry/api';
import { createRunAudit, createRunCommand, createRunEnrichment } from '../../agent/cli/commands/run-command.ts';
import { createOtelTelemetrySink } from '../../agent/export/index.ts';
import { SyntheticBridge } from './synthetic-bridge.ts';

export interface FloodSettings {
  readonly rate: number;
  readonly seconds: number;
  readonly mode: 'log' | 'aggregate';
  readonly endpoint: string;
  readonly ports: number;
  readonly blockEvery: number;
  /** source.batch_size; null: the default. */
  readonly batchSize: number | null;
}

export interface FloodAgentReport {
  readonly exitCode: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** The checkpoint at exit: records after it were not read yet (a backlog, read again at the next start). */
  readonly checkpoint: number;
  /** sink.flush() calls (one per batch) and the time they took in all. */
  readonly flushes: number;
  readonly flushMs: number;
  readonly stderr: string;
}

const settings = JSON.parse(process.env['BENCH_FLOOD'] ?? '{}') as FloodSettings;
const fixture = (id: number): string => readFileSync(new URL(`../fixtures/ms-docs/event-${id}.xml`, import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'wfp-bench-flood-'));
const configPath = join(dir, 'agent.yaml');
writeFileSync(
  configPath,
  [
    `state_dir: ${JSON.stringify(dir)}`,
    `events: {packet_drops: ${settings.mode}}`,
    `exporters: {otlp: {endpoint: ${JSON.stringify(settings.endpoint)}}}`,
    'metrics: {export_interval_ms: 10000}',
    'filters: {snapshot: "off"}',
    'audit_policy: {mode: "off"}',
    `source: {start_position: end${settings.batchSize === null ? '' : `, batch_size: ${settings.batchSize}`}}`,
    '',
  ].join('\n'),
);

const bridge = new SyntheticBridge({
  rate: settings.rate,
  seconds: settings.seconds,
  drop: fixture(5152),
  block: fixture(5157),
  ports: settings.ports,
  blockEvery: settings.blockEvery,
});
const stop = new AbortController();
process.on('message', (m) => {
  if (m === 'stop') stop.abort();
});
let stderr = '';
let flushes = 0;
let flushMs = 0;
const started = Date.now();
const cpu0 = process.cpuUsage();
const command = createRunCommand({
  platform: 'win32',
  openBridge: async () => ({ ok: true, value: bridge }),
  createSink: async (config, io) => {
    const created = await createOtelTelemetrySink({ config, env: (n) => io.env[n], write: io.stdout, registerGlobals: true });
    if (!created.ok) return { ok: false, error: created.problems.join('; ') };
    const sink = created.value;
    // Timed, to tell a slow export round trip from a busy CPU.
    const flush = sink.flush.bind(sink);
    return {
      ok: true,
      value: Object.assign(sink, {
        async flush(what?: 'all' | 'logs') {
          const t0 = performance.now();
          try {
            return await flush(what);
          } finally {
            flushes++;
            flushMs += performance.now() - t0;
          }
        },
      }),
    };
  },
  createEnrichment: createRunEnrichment,
  createAudit: createRunAudit,
  meterProvider: () => otelMetrics.getMeterProvider(),
  stopSignal: () => stop.signal,
});
const exitCode = await command.run(['--config', configPath], {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void (stderr += t),
  env: {},
  cwd: dir,
});
const cpu = process.cpuUsage(cpu0);
const report: FloodAgentReport = {
  exitCode,
  cpuMs: (cpu.user + cpu.system) / 1000,
  wallMs: Date.now() - started,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  checkpoint: Number(JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels?.Security?.record_id ?? 0),
  flushes,
  flushMs,
  stderr,
};
process.send?.(report, () => process.exit(0));
