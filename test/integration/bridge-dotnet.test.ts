// The C# bridge under `npm test`: the real assembly builds for net48 (reference assemblies from NuGet), and
// the xunit tests of its portable code pass on net10.0. Skips only when `dotnet` is absent (CI has it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BRIDGE = join(ROOT, 'agent/bridge/dotnet/WfpBridge/WfpBridge.csproj');
const TESTS = join(ROOT, 'test/unit/bridge/WfpBridge.Tests/WfpBridge.Tests.csproj');
const ENV = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' };

interface Run {
  readonly code: number;
  readonly output: string;
}

function dotnet(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('dotnet', args, { cwd: ROOT, env: ENV, timeout: 480_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const hasDotnet = await new Promise<boolean>((resolve) => execFile('dotnet', ['--version'], { env: ENV }, (error) => resolve(error === null)));
const skip = hasDotnet ? false : 'dotnet is not on PATH: the bridge build and xunit tests need the .NET SDK (CI installs it)';

describe('C# bridge', { skip, concurrency: false }, () => {
  it('builds the net48 assembly edge-js loads, with no warnings', async () => {
    const run = await dotnet(['build', BRIDGE, '-c', 'Release', '-f', 'net48', '-nologo']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /0 Warning\(s\)/);
    assert.ok(existsSync(DEFAULT_BRIDGE_ASSEMBLY), `${DEFAULT_BRIDGE_ASSEMBLY} was not produced`);
    assert.ok(statSync(DEFAULT_BRIDGE_ASSEMBLY).size > 10_000);
  });

  it('passes its xunit tests on net10.0 (queue, batching, XPath, bookmark, resume, shutdown)', async () => {
    const run = await dotnet(['test', TESTS, '-nologo']);
    assert.equal(run.code, 0, run.output);
    const summary = /Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+), Total:\s+(\d+)/.exec(run.output);
    assert.ok(summary !== null, `no xunit summary in:\n${run.output}`);
    assert.equal(Number(summary[1]), 0);
    assert.ok(Number(summary[2]) >= 25, `only ${summary[2]} xunit tests passed`);
  });
});
