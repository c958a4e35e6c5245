// The real `wfp-agent run` process on Linux, reading the real net48 bridge (edge-js on CoreCLR, built by
// test/setup/steps/11-edge-js.sh) with its synthetic producer: everything after the producer is production
// code (source, checkpoint file, pipeline, OTLP export). For fault tests, service tests and benchmarks.
//
//   startSyntheticAgent({ producer, receiverUrl }) ──spawn──► node agent/cli/wfp-agent.mjs run
//        --config <tmp>/agent.yaml --synthetic-source <tmp>/synthetic.json   (WFP_AGENT_TEST_SYNTHETIC_SOURCE=1)
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyntheticProducerSpec } from '../../agent/bridge/index.ts';
import { DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import { fixture } from './fixtures.ts';
import { needs } from './test-dependency.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const AGENT_CLI = join(ROOT, 'agent/cli/wfp-agent.mjs');
export const EDGE_JS = join(ROOT, '.tools/edge-js/node_modules/edge-js');
const EDGE_MARKER = join(ROOT, `.tools/edge-js/built-edge-js-26.1.0-node-${process.versions.node}`);

/** Why the real bridge cannot run here (edge-js not built, assembly not built), or null. */
export function syntheticAgentUnavailable(): string | null {
  if (!existsSync(EDGE_MARKER)) return `edge-js is not built in .tools/edge-js (run bash test/setup/steps/11-edge-js.sh)`;
  if (!existsSync(DEFAULT_BRIDGE_ASSEMBLY)) return `the bridge assembly is not built (npm run build:bridge): ${DEFAULT_BRIDGE_ASSEMBLY}`;
  return null;
}

/** Builds the net48 assembly when it is missing (test files may run before bridge-dotnet.test.ts builds it). */
export function ensureBridgeAssembly(): void {
  if (existsSync(DEFAULT_BRIDGE_ASSEMBLY)) return;
  spawnSync('dotnet', ['build', join(ROOT, 'agent/bridge/dotnet/WfpBridge/WfpBridge.csproj'), '-c', 'Release', '-f', 'net48', '-nologo'], {
    cwd: ROOT,
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    stdio: 'ignore',
    timeout: 480_000,
  });
}

/** Skip locally with the reason; under CI a missing dependency must fail, so never skip there. */
export function syntheticAgentSkip(): string | false {
  ensureBridgeAssembly();
  const problem = syntheticAgentUnavailable();
  return needs('the synthetic agent (bridge assembly and edge-js)', problem);
}

/** An ms-docs sample as a producer template: its record id and time become {id} and {time}. */
export function fixtureTemplate(eventId: number): string {
  return readFileSync(fixture('ms-docs', `event-${eventId}.xml`), 'utf8')
    .replace(/<EventRecordID>\d+<\/EventRecordID>/, '<EventRecordID>{id}</EventRecordID>')
    .replace(/SystemTime="[^"]*"/, 'SystemTime="{time}"');
}

/** Templates for the block events the default config logs, plus 1102 for a cleared log. */
export function blockTemplates(ids: readonly number[] = [5157, 5152, 5155, 5159, 5031, 1102]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [String(id), fixtureTemplate(id)]));
}

export interface SyntheticAgentOptions {
  readonly producer: SyntheticProducerSpec;
  /** OTLP/HTTP base URL of the test receiver. */
  readonly receiverUrl: string;
  /** Reuse a state folder (restart after a kill). */
  readonly stateDir?: string;
  /** Extra YAML appended to the generated config (must not repeat its top-level keys). */
  readonly extraYaml?: string;
  readonly source?: Partial<Record<'start_position' | 'batch_size' | 'max_delay_ms' | 'queue_bound' | 'backoff_initial_ms' | 'backoff_max_ms' | 'stop_timeout_ms', string | number>>;
  readonly env?: Readonly<Record<string, string>>;
  /** Extra keys under exporters.otlp (logs_endpoint, metrics_endpoint, timeout_ms; headers and tls as maps). */
  readonly otlp?: Readonly<Record<string, string | number | Readonly<Record<string, string | boolean>>>>;
  /** Extra arguments after `run` (e.g. --stop-on-stdin-eof). */
  readonly args?: readonly string[];
  /** The agent's entry (default the repo's launcher; the package's bundle for test/bench/package-rss.bench.ts). */
  readonly entry?: string;
  /** Node options before the entry (e.g. the launcher's V8 flags, which a bundle does not set itself). */
  readonly nodeArgs?: readonly string[];
  /** Keep what the agent writes on stdout (default: ignored). */
  readonly captureStdout?: boolean;
}

export interface SyntheticAgent {
  readonly child: ChildProcess;
  readonly stateDir: string;
  readonly configFile: string;
  readonly specFile: string;
  /** stderr so far. */
  stderr(): string;
  /** stdout so far ('' unless captureStdout). */
  stdout(): string;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  readonly exited: Promise<number | string>;
  /** The checkpoint's record id, or null. */
  checkpoint(): number | null;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

export function syntheticConfig(options: SyntheticAgentOptions, stateDir: string): string {
  const source = { start_position: 'beginning', batch_size: 100, max_delay_ms: 50, backoff_initial_ms: 50, backoff_max_ms: 500, ...options.source };
  return [
    `state_dir: ${JSON.stringify(stateDir)}`,
    'exporters:',
    '  otlp:',
    '    enabled: true',
    `    endpoint: ${JSON.stringify(options.receiverUrl)}`,
    '    protocol: http/json',
    // JSON is YAML: a map becomes a flow mapping.
    ...Object.entries(options.otlp ?? {}).map(([k, v]) => `    ${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`),
    '  batch:',
    '    scheduled_delay_ms: 100',
    'source:',
    ...Object.entries(source).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`),
    'filters:',
    '  snapshot: "off"',
    'audit_policy:',
    '  mode: "off"',
    options.extraYaml ?? '',
  ].join('\n');
}

export function startSyntheticAgent(options: SyntheticAgentOptions): SyntheticAgent {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'wfp-synthetic-'));
  const configFile = join(stateDir, 'agent.yaml');
  const specFile = join(stateDir, 'synthetic.json');
  writeFileSync(configFile, syntheticConfig(options, stateDir));
  // startUnixMs fixed in the file and kept on a restart: the restarted agent sees the same simulated log, grown.
  const previous = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, 'utf8')).producer?.startUnixMs as number | undefined) : undefined;
  writeFileSync(specFile, JSON.stringify({ producer: { startUnixMs: previous ?? Date.now(), ...options.producer }, edgeJs: EDGE_JS }));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry ?? AGENT_CLI, 'run', ...(options.args ?? []), '--config', configFile, '--synthetic-source', specFile], {
    cwd: ROOT,
    env: { ...process.env, WFP_AGENT_TEST_SYNTHETIC_SOURCE: '1', ...options.env },
    stdio: ['pipe', options.captureStdout === true ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stateDir,
    configFile,
    specFile,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    checkpoint() {
      try {
        return JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8')).channels.Security.record_id ?? null;
      } catch {
        return null;
      }
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
