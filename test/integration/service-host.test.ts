// The Windows service host under `npm test`: WfpAgentService.exe builds for net48 (reference assemblies from
// NuGet) with no warnings, and the xunit tests of its portable part pass on net10.0, including the host against
// the real agent on Linux Node. Under CI a missing `dotnet` is a failure; elsewhere a skip that says why.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOTNET_ENV, REPO_ROOT, dotnet, hasDotnet as hasDotnetSdk } from '../helpers/dotnet.ts';
import { ensureBridgeAssembly, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';
import { needs } from '../helpers/test-dependency.ts';

const ROOT = REPO_ROOT;
const HOST_DIR = join(ROOT, 'deploy/windows/service/WfpAgentService');
const HOST = join(HOST_DIR, 'WfpAgentService.csproj');
const HOST_EXE = join(HOST_DIR, 'bin/Release/net48/WfpAgentService.exe');
const TESTS = join(ROOT, 'test/unit/service/WfpAgentService.Tests/WfpAgentService.Tests.csproj');


const hasDotnet = await hasDotnetSdk();
const skip = needs('the .NET SDK', hasDotnet ? null : 'dotnet is not on PATH: the service host build and its xunit tests need the .NET SDK (CI installs it)');

// The real-agent test needs the bridge assembly and edge-js built (the synthetic source); a skip only outside CI.
if (hasDotnet) ensureBridgeAssembly();
const agentProblem = syntheticAgentUnavailable();
const agentSkip = skip !== false ? skip : needs('the synthetic agent (bridge assembly and edge-js)', agentProblem);

/** The `--flag=number` V8 options of a command line, in order. */
const v8Flags = (line: string): string[] => line.split(/\s+/).filter((w) => /^--[a-z0-9-]+=\d+$/.test(w));

async function xunit(filter: string): Promise<{ passed: number }> {
  const node = join(ROOT, 'node_modules/.bin/node');
  const run = await dotnet(['test', TESTS, '-nologo', '--filter', filter], { ...DOTNET_ENV, WFP_TEST_NODE: node });
  assert.equal(run.code, 0, run.output);
  const summary = /Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+), Total:\s+(\d+)/.exec(run.output);
  assert.ok(summary !== null, `no xunit summary in:\n${run.output}`);
  assert.equal(Number(summary[1]), 0);
  assert.equal(Number(summary[3]), 0, `skipped xunit tests:\n${run.output}`);
  return { passed: Number(summary[2]) };
}

describe('Windows service host (WfpAgentService.exe)', { concurrency: false }, () => {
  it('starts node.exe with the same V8 flags as every other launcher', () => {
    const shebang = readFileSync(join(ROOT, 'agent/cli/wfp-agent.mjs'), 'utf8').split('\n')[0]!;
    const source = readFileSync(join(HOST_DIR, 'Portable/AgentCommand.cs'), 'utf8');
    const declared = /NodeFlags = \{([^}]*)\}/.exec(source);
    assert.ok(declared !== null, 'AgentCommand.NodeFlags not found');
    const hostFlags = [...declared[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(hostFlags, v8Flags(shebang));
  });

  it('builds WfpAgentService.exe for net48 with no warnings', { skip }, async () => {
    assert.ok(hasDotnet, 'dotnet is not on PATH (CI must have the .NET SDK: test/setup/steps/10-dotnet.sh)');
    const run = await dotnet(['build', HOST, '-c', 'Release', '-nologo']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /0 Warning\(s\)/);
    assert.ok(existsSync(HOST_EXE), `${HOST_EXE} was not produced`);
    // A .NET Framework executable: a PE file with the CLR header's runtime name for v4.
    const bytes = readFileSync(HOST_EXE);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'MZ');
    assert.ok(bytes.includes(Buffer.from('v4.0.30319', 'latin1')), 'not a .NET Framework 4 assembly');
    assert.ok(statSync(HOST_EXE).size > 10_000);
  });

  it('passes its xunit tests on net10.0 (command line, stop protocol, restart, log rotation, install-finish plan)', { skip }, async () => {
    assert.ok(hasDotnet, 'dotnet is not on PATH');
    const summary = await xunit('FullyQualifiedName!~RealAgent');
    assert.ok(summary.passed >= 45, `only ${summary.passed} xunit tests passed`);
  });

  it('runs the real agent (Linux Node, synthetic source) under the host logic and stops it with the checkpoint written', { skip: agentSkip }, async () => {
    assert.ok(hasDotnet, 'dotnet is not on PATH');
    assert.equal(agentProblem, null, agentProblem ?? '');
    const summary = await xunit('FullyQualifiedName~RealAgent');
    assert.equal(summary.passed, 1);
  });
});
