// The Windows package as `npm run package:windows` builds it (issue 12): the MSI's tables read back with msiinfo,
// its files extracted with msiextract and compared with the zip's, the extracted agent bundle run with this
// Linux Node on the bundled real events (its output must equal the repository's own, byte for byte), the edge-js
// native module checked for Windows x64 and this Node's ABI, and a second build compared byte for byte.
// One build is shared by the file; the reproducibility test makes the second. Needs wixl, msitools, zip, unzip
// (test/setup/steps/30-packaging.sh) and dotnet; without them it skips locally and fails under CI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageWindows } from '../../deploy/windows/build/package-windows.ts';
import type { PackageResult } from '../../deploy/windows/build/package-windows.ts';
import { rewriteAssetUrls } from '../../deploy/windows/build/bundle-agent.ts';
import { nameGuid, UPGRADE_CODE } from '../../deploy/windows/build/guid.ts';
import { needs } from '../helpers/test-dependency.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const EXPLAIN_INPUTS = [
  ...readdirSync(join(ROOT, 'test/fixtures/ms-docs')).sort().map((f) => join(ROOT, 'test/fixtures/ms-docs', f)),
  ...readdirSync(join(ROOT, 'test/fixtures/otrf')).sort().map((f) => join(ROOT, 'test/fixtures/otrf', f)),
];

const TOOLS = ['wixl', 'msiinfo', 'msiextract', 'zip', 'unzip', 'dotnet'];
const missing = TOOLS.filter((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
const problem = missing.length === 0 ? null : `${missing.join(', ')} not found: run bash test/setup/steps/30-packaging.sh (and 10-dotnet.sh)`;
const skip = needs('the packaging tools', problem);

const work = mkdtempSync(join(tmpdir(), 'wfp-package-'));
let built: PackageResult | undefined;
const buildLog: string[] = [];
/** The MSI's files, extracted (INSTALLDIR's contents). */
let extracted = '';

function result(): PackageResult {
  assert.equal(problem, null, problem ?? '');
  assert.ok(built !== undefined, `the package build failed:\n${buildLog.join('\n')}`);
  return built;
}

/** Rows of one MSI table as objects keyed by column name (msiinfo export: header, types, key line, rows). */
function table(name: string): Record<string, string>[] {
  const lines = execFileSync('msiinfo', ['export', result().msi, name], { encoding: 'utf8' }).replace(/\r\n/g, '\n').split('\n');
  const columns = (lines[0] ?? '').split('\t');
  return lines
    .slice(3)
    .filter((l) => l !== '')
    .map((line) => Object.fromEntries(line.split('\t').map((v, i) => [columns[i] ?? `#${i}`, v])));
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, rel));
    else out.push(rel);
  }
  return out.sort();
}

before(async () => {
  if (problem !== null) return;
  try {
    built = await packageWindows({ root: ROOT, outDir: join(work, 'a'), log: (line) => buildLog.push(line) });
    mkdirSync(join(work, 'msi'));
    execFileSync('msiextract', ['-C', join(work, 'msi'), built.msi], { stdio: 'ignore' });
    extracted = join(work, 'msi', 'wfp-block-agent');
  } catch (error) {
    buildLog.push(error instanceof Error ? error.message : String(error));
  }
}, { timeout: 600_000 });

after(() => rmSync(work, { recursive: true, force: true }));

describe('npm run package:windows', { skip }, () => {
  it('writes the MSI and the zip under their versioned names, each with a sha256sum line', () => {
    const r = result();
    assert.equal(r.msi, join(work, 'a', `wfp-block-agent-${pkg.version}-x64.msi`));
    assert.equal(r.zip, join(work, 'a', `wfp-block-agent-${pkg.version}-x64.zip`));
    for (const [file, hex] of [[r.msi, r.msiSha256], [r.zip, r.zipSha256]] as const) {
      assert.equal(sha256(file), hex);
      assert.equal(readFileSync(`${file}.sha256`, 'utf8'), `${hex}  ${file.split('/').pop()}\n`);
    }
  });

  it('has the agreed layout: node.exe, launcher, service host, one bundle with its map, bridge, edge-js, config, licences', () => {
    const files = result().files;
    for (const f of [
      'node.exe',
      'wfp-agent.cmd',
      'WfpAgentService.exe',
      'agent/wfp-agent.mjs',
      'agent/wfp-agent.mjs.map',
      'agent/bridge/WfpBlockAgent.Bridge.dll',
      'agent/node_modules/edge-js/package.json',
      'agent/node_modules/edge-js/lib/edge.js',
      `agent/node_modules/edge-js/lib/native/win32/x64/${process.versions.node.split('.')[0]}/edge_nativeclr.node`,
      'config/agent.yaml',
      'config/agent.schema.json',
      'LICENSE.txt',
      'THIRD-PARTY-NOTICES.txt',
    ]) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    // One bundle: no TypeScript, no other JavaScript of the agent, no npm packages besides edge-js.
    assert.deepEqual(files.filter((f) => /\.(ts|mts|cts)$/.test(f)), []);
    assert.deepEqual(files.filter((f) => /\.m?js$/.test(f) && !f.startsWith('agent/node_modules/edge-js/')), ['agent/wfp-agent.mjs']);
    assert.deepEqual([...new Set(files.filter((f) => f.includes('node_modules/')).map((f) => f.split('/')[2]))], ['edge-js']);
    // edge-js's Linux build folder would be preferred by lib/edge.js over the Windows prebuilt: never shipped.
    assert.deepEqual(files.filter((f) => f.startsWith('agent/node_modules/edge-js/build/')), []);
    const cmd = readFileSync(join(result().stageDir, 'wfp-agent.cmd'), 'utf8');
    assert.equal(cmd, '@echo off\r\nrem wfp-agent: the agent with its V8 settings (the same as agent/cli/wfp-agent.mjs).\r\n"%~dp0node.exe" --max-semi-space-size=16 --v8-pool-size=1 "%~dp0agent\\wfp-agent.mjs" %*\r\n');
  });

  it('ships node.exe of the pinned Node for Windows x64', () => {
    const exe = readFileSync(join(extracted, 'node.exe'));
    const pe = exe.readUInt32LE(0x3c);
    assert.equal(exe.toString('latin1', pe, pe + 4), 'PE\0\0');
    assert.equal(exe.readUInt16LE(pe + 4), 0x8664, 'machine: x64');
    // The version resource (UTF-16) carries the product version.
    assert.ok(exe.includes(Buffer.from(process.versions.node, 'utf16le')), `node.exe is not Node ${process.versions.node}`);
  });

  it("ships edge-js's .NET Framework module for Windows x64 and this Node's ABI, with its C++ runtime beside it", () => {
    const major = process.versions.node.split('.')[0] ?? '';
    const dir = join(extracted, 'agent/node_modules/edge-js/lib/native/win32/x64', major);
    const node = readFileSync(join(dir, 'edge_nativeclr.node'));
    const pe = node.readUInt32LE(0x3c);
    assert.equal(node.toString('latin1', 0, 2), 'MZ');
    assert.equal(node.toString('latin1', pe, pe + 4), 'PE\0\0');
    assert.equal(node.readUInt16LE(pe + 4), 0x8664, 'machine: x64');
    const optional = pe + 24;
    assert.equal(node.readUInt16LE(optional), 0x20b, 'PE32+');
    // Data directory 14: the CLR header of a mixed-mode (C++/CLI) image, which runs on .NET Framework.
    assert.ok(node.readUInt32LE(optional + 112 + 14 * 8) !== 0, 'no CLR header');
    // Node loads an addon only when its registration symbol names the running ABI (NODE_MODULE_VERSION).
    assert.ok(node.includes(Buffer.from(`node_register_module_v${process.versions.modules}\0`, 'latin1')), `not built for ABI ${process.versions.modules}`);
    assert.ok(node.includes(Buffer.from('node.exe\0', 'latin1')), 'does not link against node.exe');
    assert.deepEqual(readdirSync(dir).sort(), ['concrt140.dll', 'edge_nativeclr.node', 'msvcp140.dll', 'node.version', 'vccorlib140.dll', 'vcruntime140.dll']);
    assert.match(readFileSync(join(dir, 'node.version'), 'utf8'), new RegExp(`^${major}\\.`));
  });

  it('runs the extracted bundle with this Node: explain --json equals the repository, byte for byte', async () => {
    const bundle = join(extracted, 'agent', 'wfp-agent.mjs');
    const fromPackage = await run(process.execPath, [bundle, 'explain', '--json', ...EXPLAIN_INPUTS], { maxBuffer: 64 * 1024 * 1024, cwd: work });
    const fromRepo = await run(process.execPath, [join(ROOT, 'agent/cli/wfp-agent.mjs'), 'explain', '--json', ...EXPLAIN_INPUTS], { maxBuffer: 64 * 1024 * 1024, cwd: work });
    assert.ok(fromRepo.stdout.split('\n').length > 200, 'the fixtures produced too few records to compare');
    assert.equal(fromPackage.stdout, fromRepo.stdout);
    assert.equal(fromPackage.stderr, fromRepo.stderr);
    const version = await run(process.execPath, [bundle, '--version'], { cwd: work });
    assert.equal(version.stdout, `${pkg.version}\n`);
  });

  it('finds its bundled config, schema and demo events in the package, not in the repository', async () => {
    const bundle = readFileSync(join(extracted, 'agent', 'wfp-agent.mjs'), 'utf8');
    assert.ok(bundle.includes('new URL("../config/agent.yaml",import.meta.url)'));
    assert.ok(bundle.includes('new URL("./node_modules/edge-js/",import.meta.url)'));
    assert.ok(bundle.includes('new URL("./bridge/WfpBlockAgent.Bridge.dll",import.meta.url)'));
    assert.ok(bundle.includes('new URL("../demo/",import.meta.url)'));
    assert.doesNotMatch(bundle, /new URL\("[^"]*(test|\.\.\/\.\.)\//, 'the bundle still points into the repository');
    const validated = await run(process.execPath, [join(extracted, 'agent', 'wfp-agent.mjs'), 'config', 'validate'], { cwd: work });
    assert.match(validated.stdout + validated.stderr, /valid/i);
    const demo = await run(process.execPath, [join(extracted, 'agent', 'wfp-agent.mjs'), 'demo', '--port', '0'], { cwd: work, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
    const demoFiles = result().files.filter((f) => /^demo\/(ms-docs|otrf)\/.*\.(xml|jsonl)$/.test(f)).length;
    assert.ok(demoFiles > 10);
    assert.match(demo.stderr, new RegExp(`Replaying ${demoFiles} bundled files of real events`));
  });

  it('lists every npm package in the bundle, edge-js, the C++ runtime and Node in the notices, with licence texts', () => {
    const notices = readFileSync(join(extracted, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    const map = JSON.parse(readFileSync(join(extracted, 'agent', 'wfp-agent.mjs.map'), 'utf8')) as { sources: string[] };
    const bundled = new Set(map.sources.map((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1]).filter((n): n is string => n !== undefined));
    assert.ok(bundled.has('yaml') && bundled.has('ajv') && bundled.has('@opentelemetry/sdk-logs'), [...bundled].join(', '));
    for (const name of [...bundled, 'edge-js']) assert.match(notices, new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}@\\d`, 'm'), `${name} missing`);
    assert.match(notices, /^Node\.js \(node\.exe\)@24\./m);
    assert.match(notices, /Microsoft Visual C\+\+ runtime/);
    assert.match(notices, /Permission is hereby granted/);
    assert.ok(notices.includes('\r\n'), 'CRLF for Notepad');
  });

  it('installs the same files as the zip, byte for byte', () => {
    const zipList = execFileSync('unzip', ['-Z1', result().zip], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
    assert.deepEqual(zipList, [...result().files]);
    const unzipped = join(work, 'zip');
    execFileSync('unzip', ['-q', result().zip, '-d', unzipped]);
    const fromMsi = filesUnder(extracted);
    assert.deepEqual(fromMsi, filesUnder(unzipped));
    for (const f of fromMsi) assert.equal(sha256(join(extracted, f)), sha256(join(unzipped, f)), f);
  });

  it('declares product, upgrade and package identity from the version, per-machine x64', () => {
    const props = Object.fromEntries(table('Property').map((r) => [r['Property'], r['Value']]));
    assert.equal(props['ProductVersion'], pkg.version);
    assert.equal(props['ProductCode'], `{${nameGuid(`product:${pkg.version}`)}}`);
    assert.equal(props['UpgradeCode'], `{${UPGRADE_CODE}}`);
    assert.equal(props['ALLUSERS'], '1');
    assert.equal(props['ARPNOMODIFY'], '1');
    assert.equal(props['MsiHiddenProperties'], 'OTLP_HEADERS;SAVED_OTLP_HEADERS');
    const summary = execFileSync('msiinfo', ['suminfo', result().msi], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    assert.match(summary, /^Template: x64;1033$/m);
    assert.match(summary, /^Revision number \(UUID\): \{[0-9A-F-]{36}\}$/m);
    // SOURCE_DATE_EPOCH (the commit time), not the time of the build.
    const commit = Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' }).trim());
    const created = /^Created: (.*)$/m.exec(summary)?.[1] ?? '';
    assert.equal(Date.parse(`${created} UTC`) / 1000, commit);
    // Every component is 64-bit (msidbComponentAttributes64bit).
    for (const c of table('Component')) assert.equal(Number(c['Attributes']) & 256, 256, c['Component']);
  });

  it('upgrades in place: older versions are removed first, a newer one refuses the downgrade', () => {
    const rows = table('Upgrade').map((r) => [r['UpgradeCode'], r['VersionMin'], r['VersionMax'], r['Attributes'], r['ActionProperty']]);
    assert.deepEqual(rows, [
      [`{${UPGRADE_CODE}}`, '', pkg.version, '1', 'WIX_UPGRADE_DETECTED'],
      [`{${UPGRADE_CODE}}`, pkg.version, '', '2', 'WIX_DOWNGRADE_DETECTED'],
    ]);
  });

  it('installs the service as LocalSystem, automatic, started at install, stopped and removed at uninstall', () => {
    const [service, ...more] = table('ServiceInstall');
    assert.equal(more.length, 0);
    assert.deepEqual(
      [service?.['Name'], service?.['DisplayName'], service?.['ServiceType'], service?.['StartType'], service?.['ErrorControl'], service?.['StartName'], service?.['Component_']],
      ['wfp-block-agent', 'WFP Block Agent', '16', '2', '1', 'LocalSystem', 'ServiceHost'],
    );
    const [control, ...others] = table('ServiceControl');
    assert.equal(others.length, 0);
    assert.equal(control?.['Name'], 'wfp-block-agent');
    // 1 start at install + 2 stop at install + 32 stop at uninstall + 128 delete at uninstall.
    assert.equal(control?.['Event'], String(1 | 2 | 32 | 128));
    assert.equal(control?.['Wait'], '1');
    const host = table('File').find((f) => f['File'] === 'ServiceExe');
    assert.equal(host?.['Component_'], 'ServiceHost');
    assert.equal(host?.['FileName'], 'WfpAgentService.exe');
  });

  it('runs install-finish, audit restore and purge as deferred elevated actions, and restores remembered properties', () => {
    const actions = Object.fromEntries(table('CustomAction').map((r) => [r['Action'], r]));
    const deferredElevated = 18 | 1024 | 2048; // exe from an installed file, in-script, no impersonation
    assert.deepEqual([actions['InstallFinish']?.['Type'], actions['InstallFinish']?.['Source'], actions['InstallFinish']?.['Target']], [String(deferredElevated), 'ServiceExe', 'install-finish']);
    assert.deepEqual([actions['RestoreAuditPolicy']?.['Type'], actions['RestoreAuditPolicy']?.['Source'], actions['RestoreAuditPolicy']?.['Target']], [
      String(deferredElevated),
      'NodeExe',
      '--max-semi-space-size=16 --v8-pool-size=1 "[INSTALLDIR]agent\\wfp-agent.mjs" audit restore --config "[DATADIR]agent.yaml"',
    ]);
    // + 64: a failed purge does not fail the uninstall.
    assert.equal(actions['PurgeData']?.['Type'], String(deferredElevated | 64));
    assert.equal(actions['PurgeData']?.['Source'], 'NodeExe');
    assert.equal(
      actions['PurgeData']?.['Target'],
      `-e "require('node:fs').rmSync(require('node:path').resolve(process.argv.at(-1)), Object.fromEntries(new Map().set('recursive', true).set('force', true)))" "[DATADIR]."`,
    );
    // The script itself works: this Node removes a data folder given as the MSI passes it ("<dir>\.").
    const script = /^-e "(.*)" "\[DATADIR\]\."$/.exec(actions['PurgeData']?.['Target'] ?? '')?.[1] ?? '';
    const data = join(work, 'ProgramData', 'wfp-block-agent');
    mkdirSync(join(data, 'state'), { recursive: true });
    writeFileSync(join(data, 'state', 'checkpoint.json'), '{}');
    execFileSync(process.execPath, ['-e', script, `${data}/.`]);
    assert.equal(existsSync(data), false);
    for (const [action, property] of [
      ['RestoreOtlpEndpoint', 'OTLP_ENDPOINT'],
      ['RestoreOtlpHeaders', 'OTLP_HEADERS'],
      ['RestoreOtlpProtocol', 'OTLP_PROTOCOL'],
      ['RestoreResourceAttributes', 'RESOURCE_ATTRIBUTES'],
      ['RestoreAuditMode', 'AUDIT_MODE'],
      ['RestoreConfigFile', 'CONFIG_FILE'],
    ] as const) {
      const row = actions[action];
      assert.equal(Number(row?.['Type']) & 63, 51, `${action}: sets a property`);
      assert.equal(Number(row?.['Type']) & 1024, 0, `${action}: immediate`);
      assert.deepEqual([row?.['Source'], row?.['Target']], [property, `[SAVED_${property}]`]);
    }
    const locators = table('RegLocator').map((r) => [r['Signature_'], r['Root'], r['Key'], r['Name'], r['Type']]);
    const search = table('AppSearch').map((r) => [r['Property'], r['Signature_']]);
    for (const [property, name] of [
      ['OTLP_ENDPOINT', 'OtlpEndpoint'],
      ['OTLP_HEADERS', 'OtlpHeaders'],
      ['OTLP_PROTOCOL', 'OtlpProtocol'],
      ['RESOURCE_ATTRIBUTES', 'ResourceAttributes'],
      ['AUDIT_MODE', 'AuditMode'],
      ['CONFIG_FILE', 'ConfigFile'],
    ] as const) {
      const signature = search.find(([p]) => p === `SAVED_${property}`)?.[1];
      // HKLM (2), raw value (2) from the 64-bit view (16).
      assert.deepEqual(locators.find(([s]) => s === signature), [signature, '2', 'SOFTWARE\\wfp-block-agent', name, '18']);
    }
  });

  it('sequences the actions: properties restored after AppSearch, restore before the service is deleted, purge before files go, install-finish before the start', () => {
    const rows = table('InstallExecuteSequence');
    const at = (action: string): number => Number(rows.find((r) => r['Action'] === action)?.['Sequence'] ?? NaN);
    const condition = (action: string): string | undefined => rows.find((r) => r['Action'] === action)?.['Condition'];
    for (const a of ['RestoreOtlpEndpoint', 'RestoreOtlpHeaders', 'RestoreOtlpProtocol', 'RestoreResourceAttributes', 'RestoreAuditMode', 'RestoreConfigFile']) {
      assert.ok(at('AppSearch') < at(a) && at(a) < at('LaunchConditions'), `${a} at ${at(a)}`);
    }
    assert.equal(condition('RestoreOtlpEndpoint'), 'SAVED_OTLP_ENDPOINT AND NOT OTLP_ENDPOINT');
    assert.ok(at('InstallValidate') < at('RemoveExistingProducts') && at('RemoveExistingProducts') < at('InstallInitialize'), 'old version removed before this one installs');
    assert.ok(at('StopServices') < at('RestoreAuditPolicy') && at('RestoreAuditPolicy') < at('DeleteServices'));
    assert.equal(condition('RestoreAuditPolicy'), 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND RESTORE_AUDIT_POLICY="1"');
    assert.ok(at('DeleteServices') < at('PurgeData') && at('PurgeData') < at('RemoveFiles'), 'node.exe is still there');
    assert.equal(condition('PurgeData'), 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND PURGE="1"');
    assert.ok(at('InstallServices') < at('InstallFinish') && at('InstallFinish') < at('StartServices'));
    assert.equal(condition('InstallFinish'), 'NOT REMOVE="ALL"');
  });

  it('writes the install properties to HKLM\\SOFTWARE\\wfp-block-agent', () => {
    const values = table('Registry').map((r) => [r['Root'], r['Key']?.replace(/\\$/, ''), r['Name'], r['Value'], r['Component_']]);
    const key = 'SOFTWARE\\wfp-block-agent';
    assert.deepEqual(values, [
      ['2', key, 'Version', pkg.version, 'InstallProperties'],
      ['2', key, 'InstallDir', '[INSTALLDIR]', 'InstallProperties'],
      ['2', key, 'DataDir', '[DATADIR]', 'InstallProperties'],
      ['2', key, 'OtlpEndpoint', '[OTLP_ENDPOINT]', 'InstallProperties'],
      ['2', key, 'OtlpHeaders', '[OTLP_HEADERS]', 'InstallProperties'],
      ['2', key, 'OtlpProtocol', '[OTLP_PROTOCOL]', 'InstallProperties'],
      ['2', key, 'ResourceAttributes', '[RESOURCE_ATTRIBUTES]', 'InstallProperties'],
      ['2', key, 'AuditMode', '[AUDIT_MODE]', 'InstallProperties'],
      ['2', key, 'ConfigFile', '[CONFIG_FILE]', 'InstallProperties'],
    ]);
  });

  it('puts the binaries under ProgramFiles64Folder\\wfp-block-agent and creates ProgramData\\wfp-block-agent, one File row per packaged file', () => {
    const dirs = Object.fromEntries(table('Directory').map((r) => [r['Directory'], [r['Directory_Parent'], r['DefaultDir']]]));
    assert.deepEqual(dirs['INSTALLDIR'], ['ProgramFiles64Folder', 'wfp-block-agent']);
    assert.deepEqual(dirs['DATADIR'], ['CommonAppDataFolder', 'wfp-block-agent']);
    assert.deepEqual(dirs['ProgramFiles64Folder'], ['TARGETDIR', '.']);
    assert.deepEqual(table('CreateFolder').map((r) => [r['Directory_'], r['Component_']]), [['DATADIR', 'DataFolder']]);
    const files = table('File');
    assert.equal(files.length, result().files.length);
    const sizes = files.map((f) => [f['FileName'], Number(f['FileSize'])]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    const staged = result()
      .files.map((f) => [f.split('/').pop(), statSync(join(result().stageDir, f)).size])
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    assert.deepEqual(sizes, staged);
  });

  it('builds the same bytes twice from one commit', { timeout: 600_000 }, async () => {
    const again = await packageWindows({ root: ROOT, outDir: join(work, 'b'), log: () => undefined });
    assert.equal(again.msiSha256, result().msiSha256);
    assert.equal(again.zipSha256, result().zipSha256);
  });
});

describe('bundle asset URLs', () => {
  it('places each asset the agent finds beside its modules, and refuses one it does not know', () => {
    const module = join(ROOT, 'agent', 'config', 'load-config.ts');
    assert.equal(rewriteAssetUrls("x = new URL('../../config/agent.yaml', import.meta.url);", module, ROOT), 'x = new URL("../config/agent.yaml", import.meta.url);');
    assert.throws(
      () => rewriteAssetUrls("new URL('../../test/secret.txt', import.meta.url)", module, ROOT),
      /^Error: agent\/config\/load-config\.ts: '\.\.\/\.\.\/test\/secret\.txt' \(test\/secret\.txt\) has no place in the package/,
    );
  });
});

describe('derived GUIDs', () => {
  it('are RFC 9562 version 5 name-based UUIDs (the standard test vector) and stable per name', () => {
    assert.equal(nameGuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ED6657D-E927-568B-95E1-2665A8AEA6A2');
    assert.equal(nameGuid('product:1.2.3'), nameGuid('product:1.2.3'));
    assert.notEqual(nameGuid('product:1.2.3'), nameGuid('product:1.2.4'));
  });
});
