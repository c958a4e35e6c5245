// The C# bridge under `npm test`: the real assembly builds for net48 (reference assemblies from NuGet), and
// the xunit tests of its portable code pass on net10.0. Skips only when `dotnet` is absent (CI has it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DOTNET_TEST_TIMEOUT_MS, REPO_ROOT, dotnet, hasDotnet as hasDotnetSdk } from '../helpers/dotnet.ts';
import { createEdgeBridgeHost, DEFAULT_BRIDGE_ASSEMBLY } from '../../agent/bridge/index.ts';
import type { BridgeMessage, BridgeStartOptions } from '../../agent/bridge/index.ts';
import { needs } from '../helpers/test-dependency.ts';

const ROOT = REPO_ROOT;
const BRIDGE = join(ROOT, 'agent/bridge/dotnet/WfpBridge/WfpBridge.csproj');
const TESTS = join(ROOT, 'test/unit/bridge/WfpBridge.Tests/WfpBridge.Tests.csproj');
const EDGE = join(ROOT, '.tools/edge-js/node_modules/edge-js');
const EDGE_FAILED = join(ROOT, '.tools/edge-js/FAILED');


const hasDotnet = await hasDotnetSdk();
const skip = needs('dotnet (.NET SDK)', hasDotnet ? null : 'dotnet is not on PATH: the bridge build and xunit tests need the .NET SDK (test/setup/steps/10-dotnet.sh)');
// The step's marker for this edge-js and this Node, not the native module alone: a build can link
// edge_coreclr.node and still fail on the managed bootstrap, and that half-built edge-js cannot load an assembly.
const EDGE_MARKER = join(ROOT, `.tools/edge-js/built-edge-js-26.1.0-node-${process.versions.node}`);
const edgeProblem = existsSync(EDGE_MARKER)
  ? null
  : `edge-js is not built in .tools/edge-js (test/setup/steps/11-edge-js.sh): ${
      existsSync(EDGE_FAILED) ? readFileSync(EDGE_FAILED, 'utf8').trim() : 'the step has not run here, or a tool it needs (dotnet, make, g++, python3) is missing; it says which'
    }`;
const edgeSkip = needs('edge-js built for CoreCLR', edgeProblem);

/** The portable part of the real assembly with its synthetic producer: records 1001..1000+count. */
function syntheticOptions(count: number): BridgeStartOptions {
  return {
    channel: 'Security',
    eventIds: [5157, 5152],
    start: { mode: 'after', recordId: 1000 },
    batchSize: 100,
    maxDelayMs: 50,
    queueBound: 400,
    resumeBelow: 100,
    backoffInitialMs: 10,
    backoffMaxMs: 50,
    stopTimeoutMs: 2000,
    producer: { kind: 'synthetic', firstId: 1001, count, template: '<Event><System><EventID>5157</EventID><EventRecordID>{id}</EventRecordID></System></Event>' },
  } as BridgeStartOptions;
}

describe('C# bridge', { skip, concurrency: false }, () => {
  // Above npm test's --test-timeout (300 s): dotnet's own 480 s limit (above) fires first, with its output.
  it('builds the net48 assembly edge-js loads, with no warnings', { timeout: DOTNET_TEST_TIMEOUT_MS }, async () => {
    const run = await dotnet(['build', BRIDGE, '-c', 'Release', '-f', 'net48', '-nologo']);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /0 Warning\(s\)/);
    assert.ok(existsSync(DEFAULT_BRIDGE_ASSEMBLY), `${DEFAULT_BRIDGE_ASSEMBLY} was not produced`);
    assert.ok(statSync(DEFAULT_BRIDGE_ASSEMBLY).size > 10_000);
  });

  it('passes its xunit tests on net10.0 (queue, batching, XPath, bookmark, resume, shutdown)', { timeout: DOTNET_TEST_TIMEOUT_MS }, async () => {
    const run = await dotnet(['test', TESTS, '-nologo']);
    assert.equal(run.code, 0, run.output);
    const summary = /Failed:\s+(\d+), Passed:\s+(\d+), Skipped:\s+(\d+), Total:\s+(\d+)/.exec(run.output);
    assert.ok(summary !== null, `no xunit summary in:\n${run.output}`);
    assert.equal(Number(summary[1]), 0);
    assert.ok(Number(summary[2]) >= 25, `only ${summary[2]} xunit tests passed`);
  });

  it('carries batches, answers and errors through edge-js (CoreCLR) with the real net48 assembly', { skip: edgeSkip }, async (t) => {
    assert.equal(edgeProblem, null, edgeProblem ?? '');
    const protocolErrors: string[] = [];
    // The agent drops inherited EDGE_* variables; the Linux build of edge-js is the CoreCLR one, chosen explicitly.
    const host = createEdgeBridgeHost({ assemblyFile: DEFAULT_BRIDGE_ASSEMBLY, edgeModule: EDGE, edgeEnvironment: { EDGE_USE_CORECLR: '1' }, onProtocolError: (e) => protocolErrors.push(e) });
    assert.ok(host.ok, host.ok ? '' : host.error);
    const bridge = host.value;
    // A failed assertion below must not leave the CoreCLR session (and its producer thread) running.
    t.after(() => bridge.stop());
    const received: number[] = [];
    const batchSizes: number[] = [];
    const statuses: string[] = [];
    let rejectOnce = true;
    let finished: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (finished = resolve));
    const onMessage = async (message: BridgeMessage): Promise<{ ok: true }> => {
      if (message.type === 'status') {
        statuses.push(`${message.state}:${message.resumeAfter}`);
        return { ok: true };
      }
      if (rejectOnce) {
        rejectOnce = false;
        throw new Error('JS could not take this batch');
      }
      assert.equal(message.xml.length, message.recordIds.length);
      assert.match(message.xml[0]!, new RegExp(`<EventRecordID>${message.recordIds[0]}</EventRecordID>`));
      received.push(...message.recordIds);
      batchSizes.push(message.recordIds.length);
      await new Promise((r) => setTimeout(r, 1));
      if (received.length >= 3000) finished();
      return { ok: true };
    };
    const started = await bridge.start(syntheticOptions(3000), onMessage);
    assert.deepEqual(started, { ok: true, value: undefined });
    const again = await bridge.start(syntheticOptions(10), onMessage);
    assert.ok(!again.ok && /already running/.test(again.error), 'one session at a time');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
    clearTimeout(timer);
    await bridge.stop();
    assert.equal(received.length, 3000, 'every record arrived');
    assert.ok(received.every((id, i) => id === 1001 + i), 'in order, once each (the rejected batch was offered again)');
    assert.ok(Math.max(...batchSizes) <= 100);
    assert.equal(statuses[0], 'subscribing:1000');
    assert.ok(!statuses.some((s) => s.startsWith('paused:')), `a full queue blocks the producer instead of pausing it: ${statuses.join(' ')}`);
    assert.deepEqual(protocolErrors, []);
    // Windows-only calls fail as results, and the process goes on.
    const log = await bridge.logInfo('Security');
    assert.ok(!log.ok && /System\.Diagnostics\.EventLog|Windows/.test(log.error), JSON.stringify(log));
    const drives = await bridge.driveMap();
    assert.ok(!drives.ok && /kernel32/.test(drives.error));
    await bridge.stop();
  });
});
