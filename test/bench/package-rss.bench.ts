// Memory of the Windows package's agent (one esbuild bundle) against the repository's launcher (TypeScript
// modules, compile cache warm), both run by this Linux Node with the launcher's V8 flags (issue 12: goal
// <= 60 MB at rest; issue 12c: the breakdown). Figures in MB, each the median of RUNS runs:
//   floor       node -e 0                                          peak RSS
//   start       wfp-agent --version                                 peak RSS of the whole run
//   status      wfp-agent status (Linux: no service, no status file) peak RSS of the whole run
//   demo rest   wfp-agent demo --serve, 5 s after the replay        current RSS (idle, endpoint up)
//   run rest    bundle only: the real `run` reading the bridge's synthetic source (edge-js on CoreCLR, as
//               test/helpers/synthetic-agent.ts), 600 events then 2/s, exporting OTLP/JSON to a local
//               receiver; current RSS 20 s after start (caught up, idle between batches)
// Then the breakdown: small bundles built like the package's (same esbuild options, same place) that load one
// more group of what `run` needs each, idle 3 s, current RSS:
//   node alone -> + yaml (parse the default config) -> + ajv and the compiled schema (the agent's config
//   loading) -> + OpenTelemetry SDK and exporters (agent/export) -> + the rest of `run`'s modules (imported,
//   not started).
// Needs a built package: `npm run package:windows` first (its staged folder under dist/.build is used); the run
// figure needs edge-js built (test/setup/steps/11-edge-js.sh) and is left out without it.
// Last line: bundle_start_mb=A bundle_status_mb=B bundle_rest_mb=C run_rest_mb=D repo_start_mb=E repo_rest_mb=F
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { assetUrlPlugin } from '../../deploy/windows/build/bundle-agent.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import { blockTemplates, EDGE_JS, startSyntheticAgent, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const FLAGS = ['--max-semi-space-size=16', '--v8-pool-size=1'];
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const agentDir = join(ROOT, 'dist', '.build', `wfp-block-agent-${version}-x64`, 'stage', 'agent');
const bundle = join(agentDir, 'wfp-agent.mjs');
if (!existsSync(bundle)) {
  process.stderr.write(`package-rss: ${bundle} is missing; run npm run package:windows first\n`);
  process.exit(2);
}
const launcher = join(ROOT, 'agent', 'cli', 'wfp-agent.mjs');
// Peak RSS of a whole run, from the kernel's high-water mark, printed by a preload at exit.
const PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))`;
const cache = mkdtempSync(join(tmpdir(), 'wfp-rss-cc-'));
const home = mkdtempSync(join(tmpdir(), 'wfp-rss-home-'));
const env = { ...process.env, NODE_COMPILE_CACHE: cache };

const mb = (kb: number): number => Math.round(kb / 102.4) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const vmRssKb = (pid: number | undefined): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

function peakRssKb(args: readonly string[]): number {
  const run = spawnSync(process.execPath, [...FLAGS, '--import', PRELOAD, ...args], { env, cwd: home, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return Number(/maxrss_kb=(\d+)/.exec(run.stderr)?.[1]);
}

/** RSS of `demo --serve` once it has replayed everything and idled for 5 s. */
async function restRssKb(entry: string): Promise<number> {
  const child = spawn(process.execPath, [...FLAGS, entry, 'demo', '--serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`demo did not come up: ${out}`)), 60_000);
      // The summary (stdout) comes once the replay is done; the endpoint line (stderr) once it serves.
      const seen = (chunk: Buffer): void => {
        out += chunk.toString();
        if (/http:\/\/127\.0\.0\.1:\d+\/metrics/.test(out) && /Summary:/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', seen);
      child.stderr.on('data', seen);
      child.on('exit', (code) => reject(new Error(`demo exited ${code}: ${out}`)));
    });
    await new Promise((r) => setTimeout(r, 5_000));
    return vmRssKb(child.pid);
  } finally {
    child.kill('SIGINT');
  }
}

/** RSS of the bundle's real `run` on the synthetic source, 20 s after start. */
async function runRestRssKb(): Promise<number> {
  const receiver = await startOtlpReceiver();
  const agent = startSyntheticAgent({
    producer: { backlog: 600, rate: 2, templates: blockTemplates() },
    receiverUrl: receiver.url,
    entry: bundle,
    nodeArgs: FLAGS,
    env: { NODE_COMPILE_CACHE: cache },
  });
  try {
    await new Promise((r) => setTimeout(r, 20_000));
    if (agent.child.exitCode !== null) throw new Error(`run exited ${agent.child.exitCode}: ${agent.stderr()}`);
    if (receiver.logs.length < 600) throw new Error(`run exported only ${receiver.logs.length} records: ${agent.stderr()}`);
    return vmRssKb(agent.child.pid);
  } finally {
    await agent.stop();
    await receiver.close();
    rmSync(agent.stateDir, { recursive: true, force: true });
  }
}

// Each probe loads everything the one before it did, plus one group.
const PROBES: ReadonlyArray<readonly [string, string]> = [
  ['node alone (bundled empty module)', ''],
  ['+ yaml (default config parsed)', `import { parse } from 'yaml'; keep.push(parse(readFileSync(new URL('../config/agent.yaml', import.meta.url), 'utf8')));`],
  ['+ ajv + compiled schema (config loaded)', `import { loadConfig } from './agent/config/index.ts'; keep.push(loadConfig(undefined));`],
  ['+ OTel SDK + exporters (agent/export)', `import * as exportStage from './agent/export/index.ts'; keep.push(exportStage);`],
  ['+ rest of run (its modules, not started)', `import * as run from './agent/cli/commands/run-command.ts'; keep.push(run);`],
];
// Not cumulative: Node + edge-js + the CLR with the bridge assembly loaded and called once (on Linux CoreCLR, the
// stand-in for the .NET Framework 4.8 CLR that edge-js hosts on Windows).
const CLR_PROBE = [
  'node + edge-js + CLR + bridge (no agent code)',
  `import { bridgeProducer, createEdgeBridgeHost } from './agent/bridge/index.ts';
   const host = createEdgeBridgeHost({ edgeModule: ${JSON.stringify(EDGE_JS)}, producer: bridgeProducer({ backlog: 1, templates: {} }) });
   if (!host.ok) throw new Error(host.error);
   const stats = await host.value.syntheticStats();
   if (!stats.ok) throw new Error(stats.error);
   keep.push(host.value);`,
] as const;
const PROBE_TAIL = `setTimeout(() => process.stdout.write(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'), 3000);`;

async function buildProbe(index: number): Promise<string> {
  const outfile = join(agentDir, `.rss-probe-${index}.mjs`);
  const imports = index < PROBES.length ? PROBES.slice(0, index + 1).map(([, code]) => code) : [CLR_PROBE[1]];
  await build({
    stdin: { contents: [`import { readFileSync } from 'node:fs'; const keep = []; globalThis.keep = keep;`, ...imports, PROBE_TAIL].join('\n'), resolveDir: ROOT, loader: 'ts', sourcefile: 'rss-probe.ts' },
    absWorkingDir: ROOT,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: "import { createRequire as __wfpCreateRequire } from 'node:module'; const require = __wfpCreateRequire(import.meta.url);" },
    plugins: [assetUrlPlugin(ROOT)],
    logLevel: 'warning',
  });
  return outfile;
}

const probeFiles: string[] = [];
try {
  for (let i = 0; i < PROBES.length; i += 1) probeFiles.push(await buildProbe(i));
  const runUnavailable = syntheticAgentUnavailable();
  if (runUnavailable === null) probeFiles.push(await buildProbe(PROBES.length));
  // Warm the repository's compile cache, as an installed agent's second start would be.
  peakRssKb([launcher, '--version']);
  peakRssKb([bundle, '--version']);
  const floor: number[] = [];
  const figures = { bundleStart: [] as number[], bundleStatus: [] as number[], bundleRest: [] as number[], runRest: [] as number[], repoStart: [] as number[], repoRest: [] as number[] };
  const probes = probeFiles.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i += 1) {
    floor.push(peakRssKb(['-e', '0']));
    figures.bundleStart.push(peakRssKb([bundle, '--version']));
    figures.bundleStatus.push(peakRssKb([bundle, 'status']));
    figures.repoStart.push(peakRssKb([launcher, '--version']));
    figures.bundleRest.push(await restRssKb(bundle));
    figures.repoRest.push(await restRssKb(launcher));
    if (runUnavailable === null) figures.runRest.push(await runRestRssKb());
    probeFiles.forEach((file, p) => {
      const out = spawnSync(process.execPath, [...FLAGS, file], { env, encoding: 'utf8' });
      probes[p]?.push(Number(out.stdout.trim()));
    });
  }
  const line = (label: string, xs: number[]): string => `${label.padEnd(44)} ${String(mb(median(xs))).padStart(6)}   (runs: ${xs.map(mb).join(', ')})\n`;
  process.stdout.write(`node ${process.version} ${process.platform}/${process.arch}, ${RUNS} runs, medians in MB, flags ${FLAGS.join(' ')}\n`);
  process.stdout.write(line('floor (node -e 0) peak', floor));
  process.stdout.write(line('bundle --version peak', figures.bundleStart));
  process.stdout.write(line('bundle status peak', figures.bundleStatus));
  process.stdout.write(line('repo   --version peak', figures.repoStart));
  process.stdout.write(line('bundle demo --serve at rest', figures.bundleRest));
  process.stdout.write(line('repo   demo --serve at rest', figures.repoRest));
  if (runUnavailable === null) process.stdout.write(line('bundle run (synthetic source) at rest', figures.runRest));
  else process.stdout.write(`bundle run at rest: not measured (${runUnavailable})\n`);
  process.stdout.write('breakdown, current RSS after 3 s idle (each row adds one group):\n');
  let previous = NaN;
  PROBES.forEach(([label], p) => {
    const m = mb(median(probes[p] ?? []));
    const delta = Number.isNaN(previous) ? '' : `  (+${Math.round((m - previous) * 10) / 10})`;
    process.stdout.write(`  ${label.padEnd(42)} ${String(m).padStart(6)}${delta}\n`);
    previous = m;
  });
  if (runUnavailable === null) process.stdout.write(`  ${CLR_PROBE[0].padEnd(42)} ${String(mb(median(probes[PROBES.length] ?? []))).padStart(6)}  (separate, vs node alone)\n`);
  process.stdout.write(
    `bundle_start_mb=${mb(median(figures.bundleStart))} bundle_status_mb=${mb(median(figures.bundleStatus))} bundle_rest_mb=${mb(median(figures.bundleRest))} ` +
      `run_rest_mb=${runUnavailable === null ? mb(median(figures.runRest)) : 'NaN'} repo_start_mb=${mb(median(figures.repoStart))} repo_rest_mb=${mb(median(figures.repoRest))}\n`,
  );
} finally {
  for (const file of probeFiles) rmSync(file, { force: true });
  rmSync(cache, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
