// Memory of the Windows package's agent (one esbuild bundle) against the repository's launcher (TypeScript
// modules, compile cache warm), both run by this Linux Node with the launcher's V8 flags (issue 12: today
// `wfp-agent --version` ~95 MB, the Node floor ~43 MB, goal <= 60 MB at rest). Figures in MB:
//   floor      node -e 0                                        peak RSS
//   start      wfp-agent --version                               peak RSS of the whole run
//   rest       wfp-agent demo --serve, 5 s after the replay      current RSS (the process is idle, endpoint up)
// Needs a built package: `npm run package:windows` first (its staged folder under dist/.build is used).
// Each figure is the median of RUNS runs. Last line: bundle_start_mb=A bundle_rest_mb=B repo_start_mb=C repo_rest_mb=D
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const FLAGS = ['--max-semi-space-size=16', '--v8-pool-size=1'];
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const bundle = join(ROOT, 'dist', '.build', `wfp-block-agent-${version}-x64`, 'stage', 'agent', 'wfp-agent.mjs');
if (!existsSync(bundle)) {
  process.stderr.write(`package-rss: ${bundle} is missing; run npm run package:windows first\n`);
  process.exit(2);
}
const launcher = join(ROOT, 'agent', 'cli', 'wfp-agent.mjs');
// Peak RSS of a whole run, from the kernel's high-water mark, printed by a preload at exit.
const PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))`;
const cache = mkdtempSync(join(tmpdir(), 'wfp-rss-cc-'));
const env = { ...process.env, NODE_COMPILE_CACHE: cache };

const mb = (kb: number): number => Math.round(kb / 102.4) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function peakRssKb(args: readonly string[]): number {
  const run = spawnSync(process.execPath, [...FLAGS, '--import', PRELOAD, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return Number(/maxrss_kb=(\d+)/.exec(run.stderr)?.[1]);
}

/** RSS of `demo --serve` once it has replayed everything and idled for 5 s. */
async function restRssKb(entry: string): Promise<number> {
  const child = spawn(process.execPath, [...FLAGS, entry, 'demo', '--serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`demo did not come up: ${err}`)), 60_000);
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        if (/http:\/\/127\.0\.0\.1:\d+\/metrics/.test(err) && /Log records:/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`demo exited ${code}: ${err}`)));
    });
    await new Promise((r) => setTimeout(r, 5_000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  } finally {
    child.kill('SIGINT');
  }
}

try {
  // Warm the repository's compile cache, as an installed agent's second start would be.
  peakRssKb([launcher, '--version']);
  peakRssKb([bundle, '--version']);
  const floor: number[] = [];
  const figures = { bundleStart: [] as number[], bundleRest: [] as number[], repoStart: [] as number[], repoRest: [] as number[] };
  for (let i = 0; i < RUNS; i += 1) {
    floor.push(peakRssKb(['-e', '0']));
    figures.bundleStart.push(peakRssKb([bundle, '--version']));
    figures.repoStart.push(peakRssKb([launcher, '--version']));
    figures.bundleRest.push(await restRssKb(bundle));
    figures.repoRest.push(await restRssKb(launcher));
  }
  process.stdout.write(`node ${process.version} ${process.platform}/${process.arch}, ${RUNS} runs, medians in MB, flags ${FLAGS.join(' ')}\n`);
  process.stdout.write(`floor (node -e 0)         ${mb(median(floor))}\n`);
  process.stdout.write(`bundle --version peak     ${mb(median(figures.bundleStart))}   (runs: ${figures.bundleStart.map(mb).join(', ')})\n`);
  process.stdout.write(`repo   --version peak     ${mb(median(figures.repoStart))}   (runs: ${figures.repoStart.map(mb).join(', ')})\n`);
  process.stdout.write(`bundle demo at rest       ${mb(median(figures.bundleRest))}   (runs: ${figures.bundleRest.map(mb).join(', ')})\n`);
  process.stdout.write(`repo   demo at rest       ${mb(median(figures.repoRest))}   (runs: ${figures.repoRest.map(mb).join(', ')})\n`);
  process.stdout.write(
    `bundle_start_mb=${mb(median(figures.bundleStart))} bundle_rest_mb=${mb(median(figures.bundleRest))} ` +
      `repo_start_mb=${mb(median(figures.repoStart))} repo_rest_mb=${mb(median(figures.repoRest))}\n`,
  );
} finally {
  rmSync(cache, { recursive: true, force: true });
}
