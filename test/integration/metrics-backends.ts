// Real metric backends for the export tests, started on loopback on free ports with temporary data
// folders and stopped by the tests: VictoriaMetrics (OTLP push, PromQL) and Prometheus (scrapes the agent's
// pull endpoint). Binaries come from test/setup/steps/20-metrics-backends.sh (`.tools/`), or PATH.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

type Counts = Map<string, number>;

const TOOLS = new URL('../../.tools/', import.meta.url).pathname;

function findBinary(name: string, toolsPath: string): string | null {
  const local = join(TOOLS, toolsPath);
  if (existsSync(local)) return local;
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export const VICTORIA_METRICS = findBinary('victoria-metrics', 'victoria-metrics/usr/bin/victoria-metrics');
export const PROMETHEUS = findBinary('prometheus', 'prometheus/usr/bin/prometheus');
export const PROMTOOL = findBinary('promtool', 'prometheus/usr/bin/promtool');
export const SETUP_HINT = 'run bash test/setup/steps/20-metrics-backends.sh (CI runs it)';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PromSample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Backend {
  readonly url: string;
  /** PromQL instant query, now or at `at` (Unix seconds). */
  query(promql: string, at?: number): Promise<PromSample[]>;
  stop(): Promise<void>;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${lastError === null ? '' : `: ${String(lastError)}`}`);
}

async function promQuery(base: string, promql: string, extra = ''): Promise<PromSample[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}${extra}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error ?? res.status}`);
  return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

function started(binary: string, args: string[], log: string[]): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (b: Buffer) => {
    log.push(b.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

function stopper(child: ChildProcess, dataDir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * VictoriaMetrics single-node: OTLP metrics at `${url}/opentelemetry/v1/metrics`, converted to Prometheus
 * names (`-opentelemetry.usePrometheusNaming`, the same translation the README documents), with the newest
 * samples visible at once (`-search.latencyOffset=0s`; the default hides the last 30 s).
 */
export async function startVictoriaMetrics(): Promise<Backend> {
  if (VICTORIA_METRICS === null) throw new Error(`victoria-metrics not found: ${SETUP_HINT}`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wfp-vm-'));
  const log: string[] = [];
  const child = started(
    VICTORIA_METRICS,
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      '-retentionPeriod=100y',
      '-opentelemetry.usePrometheusNaming',
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-loggerLevel=ERROR',
    ],
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child, dataDir);
  try {
    await waitFor('VictoriaMetrics', async () => ((await fetch(`${url}/health`)).ok ? true : null), 20_000);
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${log.join('')}`);
  }
  return { url, query: (q, at) => promQuery(url, q, at === undefined ? '' : `&time=${at}`), stop };
}

/** Prometheus scraping each `jobs` entry (job name → host:port, path /metrics) every second. */
export async function startPrometheus(jobs: Readonly<Record<string, string>>): Promise<Backend> {
  if (PROMETHEUS === null) throw new Error(`prometheus not found: ${SETUP_HINT}`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wfp-prom-'));
  const configFile = join(dataDir, 'prometheus.yml');
  writeFileSync(
    configFile,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n` +
      Object.entries(jobs)
        .map(([job, target]) => `  - job_name: ${job}\n    static_configs:\n      - targets: ['${target}']\n`)
        .join(''),
  );
  const log: string[] = [];
  const child = started(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dataDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=error',
    ],
    log,
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = stopper(child, dataDir);
  try {
    await waitFor('Prometheus', async () => ((await fetch(`${url}/-/ready`)).ok ? true : null), 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\n${log.join('')}`);
  }
  return { url, query: (q, at) => promQuery(url, q, at === undefined ? '' : `&time=${at}`), stop };
}

/** Poll a query until `accept` says yes (series appear after indexing / the next scrape), or time out. */
export async function queryUntil(
  backend: Backend,
  promql: string,
  accept: (samples: PromSample[]) => boolean,
  timeoutMs = 20_000,
): Promise<PromSample[]> {
  let last: PromSample[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    last = await backend.query(promql);
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/** Samples of `sum by (__name__, LABEL)` → `metric|value` counts ('' where the label is absent). */
export function countsBy(samples: readonly PromSample[], label: string, only?: ReadonlySet<string>): Counts {
  const out: Counts = new Map();
  for (const s of samples) {
    const name = s.labels['__name__'] ?? '';
    if (only !== undefined && !only.has(name)) continue;
    if (only === undefined && s.labels[label] === undefined) continue;
    out.set(`${name}|${s.labels[label] ?? ''}`, s.value);
  }
  return out;
}

export function sortedEntries(m: Counts): [string, number][] {
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}
