// The real `wfp-agent run` process for the benchmarks: the agent's own launcher with the service's V8 flags, the
// real net48 bridge through edge-js (CoreCLR) with its synthetic producer (--synthetic-source), the production
// source, checkpoint file, pipeline and OTLP/protobuf exporter. process-probe.mjs is preloaded to report the
// process's CPU time, RSS and heap from inside (JSON lines in a file).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { SyntheticProducerSpec } from '../../agent/bridge/index.ts';
import { AGENT_CLI, EDGE_JS, ROOT, ensureBridgeAssembly, fixtureTemplate, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';

/** The flags every launcher gives the agent (agent/cli/wfp-agent.mjs's shebang, the service). */
const AGENT_V8_FLAGS = ['--max-semi-space-size=16', '--v8-pool-size=1'];
const PROBE = new URL('./process-probe.mjs', import.meta.url).href;

export interface ProbeSample {
  readonly at: number;
  readonly t: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly peakRssMb: number;
  readonly final: boolean;
}

export interface RealAgent {
  readonly child: ChildProcess;
  readonly stateDir: string;
  readonly exited: Promise<number | string>;
  stderr(): string;
  samples(): ProbeSample[];
  checkpoint(): number;
  /**
   * CPU milliseconds so far per thread group of the agent process (Linux /proc; null elsewhere): `main` (Node's
   * JavaScript thread, where the pipeline runs), `bridge` (CoreCLR's threads and the synthetic producer's: the
   * stand-in for the Windows event log), `v8` (V8's GC/compiler helpers), `libuv` (fs and DNS), `other`. A thread
   * that ended between two readings drops out of their difference (the CLR retires idle pool threads).
   */
  threadCpuMs(): Record<ThreadGroup, number> | null;
  /** SIGTERM, then SIGKILL after timeoutMs. */
  stop(timeoutMs?: number): Promise<number | string>;
  /** Stops the process and deletes its state folder (config, checkpoint, probe file). */
  dispose(): Promise<void>;
}

// watcher: the synthetic producer's thread, which renders each record from its template and hands it to the
// bridge's record handler: on Windows that work is EventLogWatcher's callback thread (rendering the record's XML,
// which no machine here can measure), so it is shown apart from the bridge's own threads (sender, marshalling).
export type ThreadGroup = 'main' | 'bridge' | 'watcher' | 'v8' | 'libuv' | 'other';

function threadGroup(name: string): ThreadGroup {
  if (name === 'MainThread' || name === 'node') return 'main';
  if (name === 'synthetic-tail') return 'watcher';
  if (name.startsWith('.NET')) return 'bridge';
  if (name.startsWith('V8')) return 'v8';
  if (name.startsWith('libuv')) return 'libuv';
  return 'other';
}

/** Linux's clock ticks per second for /proc stat times (USER_HZ: 100 on every mainstream kernel build). */
const USER_HZ = 100;

function readThreadCpuMs(pid: number | undefined): Record<ThreadGroup, number> | null {
  if (pid === undefined || platform() !== 'linux') return null;
  const out: Record<ThreadGroup, number> = { main: 0, bridge: 0, watcher: 0, v8: 0, libuv: 0, other: 0 };
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        // Fields after the parenthesised name: state is 3rd overall; utime and stime are the 14th and 15th.
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out[threadGroup(name)] += ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
      } catch {
        // The thread ended while being read.
      }
    }
  } catch {
    return null;
  }
  return out;
}

export function realAgentUnavailable(): string | null {
  ensureBridgeAssembly();
  return syntheticAgentUnavailable();
}

export function startRealAgent(options: { producer: SyntheticProducerSpec; endpoint: string; configYaml: string; probeMs?: number }): RealAgent {
  const stateDir = mkdtempSync(join(tmpdir(), 'wfp-bench-real-'));
  const configFile = join(stateDir, 'agent.yaml');
  const specFile = join(stateDir, 'synthetic.json');
  const probeFile = join(stateDir, 'probe.jsonl');
  writeFileSync(
    configFile,
    [
      `state_dir: ${JSON.stringify(stateDir)}`,
      `exporters: {otlp: {enabled: true, endpoint: ${JSON.stringify(options.endpoint)}, protocol: http/protobuf}}`,
      'filters: {snapshot: "off"}',
      'audit_policy: {mode: "off"}',
      options.configYaml,
      '',
    ].join('\n'),
  );
  writeFileSync(specFile, JSON.stringify({ producer: options.producer, edgeJs: EDGE_JS }));
  const child = spawn(process.execPath, [...AGENT_V8_FLAGS, '--import', PROBE, AGENT_CLI, 'run', '--config', configFile, '--synthetic-source', specFile], {
    cwd: ROOT,
    env: { ...process.env, WFP_AGENT_TEST_SYNTHETIC_SOURCE: '1', WFP_BENCH_PROBE: probeFile, WFP_BENCH_PROBE_MS: String(options.probeMs ?? 1000) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stateDir,
    exited,
    stderr: () => stderr,
    samples: () =>
      existsSync(probeFile)
        ? readFileSync(probeFile, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as ProbeSample)
        : [],
    threadCpuMs: () => readThreadCpuMs(child.pid),
    checkpoint() {
      try {
        return Number(JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8')).channels?.Security?.record_id ?? 0);
      } catch {
        return 0;
      }
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async dispose() {
      await this.stop(5000);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * An ms-docs sample as a bench producer template, with the docs' doubled backslashes in the application path
 * collapsed: real events have single ones, and the doubled form raises a warning on every event and bypasses the
 * interpreter's application-path cache (~1% of the agent's CPU in bench:flood), which no real flood would.
 */
export function benchTemplate(eventId: number): string {
  return fixtureTemplate(eventId).replaceAll('\\\\', '\\');
}

/** The benchmarks' first line: the machine, and its load when the run started (the VM may be shared). */
export function machineLine(): string {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, ${platform()} ${release()} ${arch()}, Node ${process.version}, load ${load}, ${new Date().toISOString()}`;
}
