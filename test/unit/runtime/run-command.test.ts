import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunAudit, createRunCommand, createRunEnrichment, runCommand } from '../../../agent/cli/commands/run-command.ts';
import { parseConfig } from '../../../agent/config/index.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { createBasicEnricher } from '../../../agent/enrich/index.ts';
import { FakeBridge, FakeSecurityLog, stopFakeBridges } from '../../helpers/fake-bridge.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import type { InMemorySink } from '../../helpers/in-memory-sink.ts';
import type { AgentConfig } from '../../../agent/config/index.ts';
import { blockEvents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { testRunDeps } from '../../helpers/run-deps.ts';

const deps = testRunDeps;

function configFile(stateDir: string, extra = ''): string {
  const file = join(stateDir, 'agent.yaml');
  writeFileSync(file, `state_dir: ${JSON.stringify(stateDir)}\nsource:\n  batch_size: 5\n  max_delay_ms: 20\n${extra}`);
  return file;
}

describe('wfp-agent run', () => {
  afterEach(() => stopFakeBridges());

  it('explains in one line that live reading needs Windows, suggests replay, and exits 2', async () => {
    const io = captureIo();
    const command = createRunCommand(deps({ platform: 'linux' }));
    assert.equal(await command.run([], io), 2);
    assert.equal(io.err().split('\n').filter(Boolean).length, 1);
    assert.match(io.err(), /live reading needs Windows.*wfp-agent replay FILE\.\.\./);
    if (process.platform !== 'win32') assert.equal(await runCommand.run([], captureIo()), 2);
  });

  it('prints its help with --help', async () => {
    const io = captureIo();
    assert.equal(await createRunCommand(deps({ platform: 'linux' })).run(['--help'], io), 0);
    assert.match(io.out(), /^Usage: wfp-agent run/);
  });

  it('reads live through the bridge, exports, checkpoints, and stops cleanly on the stop signal', async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(42);
    log.append(...blockEvents(3));
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    const stop = new AbortController();
    const io = captureIo();
    let volumeMap: Readonly<Record<string, string>> | null = null;
    const events: string[] = [];
    const command = createRunCommand(
      deps({
        openBridge: async () => ({ ok: true, value: bridge }),
        createSink: async () => ({ ok: true, value: sink }),
        stopSignal: () => stop.signal,
        createEnrichment: (_config, map) => {
          volumeMap = map;
          return {
            ok: true,
            value: { enricher: createBasicEnricher(), start: async () => void events.push('start'), shutdown: async () => void events.push('shutdown') },
          };
        },
      }),
    );
    const running = command.run(['--config', configFile(stateDir)], io);
    await waitFor(() => bridge.startOptions !== null);
    log.append(...blockEvents(12));
    await waitFor(() => sink.exported.length === 12);
    stop.abort();
    assert.equal(await running, 0);
    assert.deepEqual(bridge.startOptions?.start, { mode: 'after', recordId: 44 });
    assert.deepEqual(bridge.startOptions?.eventIds, [1102, 4719, 5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447]);
    assert.equal(bridge.startOptions?.batchSize, 5);
    const err = io.err();
    assert.match(err, /The checkpoint is missing; the configured start position applies\./);
    assert.match(err, /reading starts at the end of the log, after record 44; older events are not read\./);
    assert.match(err, /Stopped: 12 records read, 12 acknowledged, 0 dropped; checkpoint at 56\./);
    const saved = JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8'));
    assert.equal(saved.channels.Security.record_id, 56);
    assert.equal(sink.shutdownCalls, 1);
    assert.deepEqual(volumeMap, { 'C:': '\\Device\\HarddiskVolume3' }, 'the bridge drive map reaches the enricher');
    assert.deepEqual(events, ['start', 'shutdown'], 'the live catalog is started before reading and shut down after');
    // The status file `wfp-agent status` reads: written by the run, last time at the clean stop.
    const status = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
    assert.equal(status.schema, 1);
    assert.equal(status.pid, process.pid);
    assert.equal(status.config.file, join(stateDir, 'agent.yaml'));
    assert.equal(status.export.events_acknowledged, 12);
    assert.equal(status.export.failing_since, null);
    assert.ok(Date.parse(status.export.last_success_at) >= Date.parse(status.started_at));
    assert.ok(Date.parse(status.stopped_at) >= Date.parse(status.export.last_success_at));
    assert.equal(status.lag.records_behind, 0);
  });

  it('exits 1 with one line when the bridge cannot load', async () => {
    const io = captureIo();
    const command = createRunCommand(deps({ openBridge: async () => ({ ok: false, error: 'Cannot load edge-js (not found).' }) }));
    assert.equal(await command.run(['--config', configFile(tempStateDir())], io), 1);
    assert.equal(io.err(), 'wfp-agent run: Cannot load edge-js (not found).\n');
  });

  it('exits 1 when the log cannot be read, and stops the bridge', async () => {
    const bridge = new FakeBridge(new FakeSecurityLog());
    bridge.logInfoResult = { ok: false, error: 'UnauthorizedAccessException: Attempted to perform an unauthorized operation.' };
    const sink = createInMemorySink();
    const io = captureIo();
    const command = createRunCommand(deps({ openBridge: async () => ({ ok: true, value: bridge }), createSink: async () => ({ ok: true, value: sink }) }));
    assert.equal(await command.run(['--config', configFile(tempStateDir())], io), 1);
    assert.match(io.err(), /Cannot read the Security log's information: UnauthorizedAccessException/);
    assert.equal(bridge.stopCalls, 1);
    assert.equal(sink.shutdownCalls, 1);
  });

  it('hands every 4719 to the audit governor and shuts it down at the end', async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(10);
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    const stop = new AbortController();
    const seen: string[] = [];
    const command = createRunCommand(
      deps({
        openBridge: async () => ({ ok: true, value: bridge }),
        createSink: async () => ({ ok: true, value: sink }),
        stopSignal: () => stop.signal,
        createAudit: () => ({
          ok: true,
          value: {
            start: async () => void seen.push('start'),
            onAuditPolicyChange: (event) => void seen.push(event.subcategoryGuid),
            shutdown: async () => void seen.push('shutdown'),
          },
        }),
      }),
    );
    const running = command.run(['--config', configFile(stateDir)], captureIo());
    await waitFor(() => bridge.startOptions !== null);
    log.append(...blockEvents(2), readFileSync(fixture('ms-docs/event-4719.xml'), 'utf8'));
    await waitFor(() => seen.length === 2);
    stop.abort();
    assert.equal(await running, 0);
    assert.deepEqual(seen, ['start', '{0cce9223-69ae-11d9-bed3-505054503030}', 'shutdown']);
  });

  it('applies Group Policy over the file, reports a bad policy and keeps going, and restarts the pipeline on a valid change', async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(100);
    const bridges: FakeBridge[] = [];
    const sinks: InMemorySink[] = [];
    const configs: AgentConfig[] = [];
    const stop = new AbortController();
    const io = captureIo();
    const ticks: (() => void)[] = [];
    const wait = (label: string, c: () => boolean) => waitFor(c).catch(() => assert.fail(`${label} not reached; stderr:\n${io.err()}`));
    // reg.exe, as recorded: first no policy (exit 1), later what the test sets.
    let reg = { code: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.\r\n' };
    const command = createRunCommand(
      deps({
        openBridge: async () => {
          const bridge = new FakeBridge(log);
          bridges.push(bridge);
          return { ok: true, value: bridge };
        },
        createSink: async (config) => {
          configs.push(config);
          const sink = createInMemorySink();
          sinks.push(sink);
          return { ok: true, value: sink };
        },
        stopSignal: () => stop.signal,
        policyRunner: { run: async () => ({ ...reg, timedOut: false }) },
        policyTimers: { setInterval: (fn) => ticks.push(fn), clearInterval: () => undefined },
      }),
    );
    log.append(...blockEvents(3));
    const running = command.run(['--config', configFile(stateDir, 'events:\n  packet_drops: log\n')], io);
    await wait('step 1', () => bridges[0]?.startOptions != null);
    const firstStart = bridges[0]!.startOptions!.start as { recordId: number };
    log.append(...blockEvents(3));
    await wait('step 2', () => sinks[0]!.exported.length === 3);
    assert.equal(configs[0]!.events.packet_drops, 'log');

    // A bad value: one line naming the policy; nothing restarts.
    reg = { code: 0, stdout: readFileSync(fixture('windows-commands', 'reg-query-policies-invalid.de-DE.txt'), 'utf8'), stderr: '' };
    ticks.at(-1)!();
    await wait('step 3', () => io.err().includes('(policy OtlpProtocol)'));
    assert.match(io.err(), /OtlpProtocol \(policy OtlpProtocol\): exporters\.otlp\.protocol: expected one of "http\/protobuf", "http\/json", found "grpc" \(the agent keeps its last good settings\)/);
    assert.equal(configs.length, 1);

    // A valid change: the pipeline restarts with it and reads on from the checkpoint.
    reg = {
      code: 0,
      stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\wfp-block-agent\r\n    PacketDrops    REG_SZ    count\r\n    OtlpEndpoint    REG_SZ    https://otel.contoso.example:4318\r\n\r\n',
      stderr: '',
    };
    ticks.at(-1)!();
    await wait('step 4', () => configs.length === 2 && bridges[1]?.startOptions != null);
    assert.match(io.err(), /The configuration changed \(events\.packet_drops, exporters\.otlp\.endpoint\); restarting the pipeline to apply it\./);
    assert.equal(configs[1]!.events.packet_drops, 'count');
    assert.equal(configs[1]!.exporters.otlp.endpoint, 'https://otel.contoso.example:4318');
    assert.deepEqual(bridges[1]!.startOptions?.start, { mode: 'after', recordId: firstStart.recordId + 3 }, 'resumes after the last acknowledged record');
    log.append(...blockEvents(2));
    await wait('step 5', () => sinks[1]!.exported.length === 2);
    stop.abort();
    assert.equal(await running, 0);
    const status = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8'));
    assert.equal(status.config.origins.policy, 2);
  });

  it('refuses a batch size above the export queue size, which could lose events', async () => {
    const bridge = new FakeBridge(new FakeSecurityLog());
    const io = captureIo();
    const file = configFile(tempStateDir(), 'exporters:\n  batch:\n    max_queue_size: 4\n    max_export_batch_size: 4\n');
    const command = createRunCommand(deps({ openBridge: async () => ({ ok: true, value: bridge }) }));
    assert.equal(await command.run(['--config', file], io), 2);
    assert.match(io.err(), /source\.batch_size \(5\) must not exceed exporters\.batch\.max_queue_size \(4\)/);
    assert.equal(bridge.stopCalls, 1);
  });

  it('exits 2 on a configuration error, naming the key', async () => {
    const io = captureIo();
    const file = configFile(tempStateDir(), '  queue_bond: 5\n');
    assert.equal(await createRunCommand(deps({})).run(['--config', file], io), 2);
    assert.match(io.err(), /source\.queue_bond: unknown key; did you mean 'queue_bound'\?/);
  });
});

describe('createRunEnrichment', () => {
  it('uses the recorded snapshot when filters.file is set, and names a missing file in one line', async () => {
    const { loadConfig } = await import('../../../agent/config/index.ts');
    const dir = tempStateDir();
    const file = join(dir, 'agent.yaml');
    writeFileSync(file, `filters:\n  file: ${JSON.stringify(join(dir, 'missing.xml'))}\n`);
    const lines: string[] = [];
    const missing = createRunEnrichment(loadConfig(file), {}, (l) => lines.push(l));
    assert.ok(!missing.ok && missing.error.includes('missing.xml'), JSON.stringify(missing));
    writeFileSync(file, 'filters:\n  snapshot: "off"\n');
    const off = createRunEnrichment(loadConfig(file), { 'C:': '\\Device\\HarddiskVolume3' }, (l) => lines.push(l));
    assert.ok(off.ok);
    await off.value.start();
    await off.value.shutdown();
    assert.deepEqual(lines, []);
  });
});

describe('createRunAudit', () => {
  const io = captureIo();
  const withAudit = (yaml: string) => parseConfig(yaml, { file: 'agent.yaml', env: () => undefined });

  it('builds no governor when audit_policy.mode is off', () => {
    assert.deepEqual(createRunAudit(withAudit('audit_policy: {mode: "off"}\n'), io, 'win32'), { ok: true, value: null });
  });

  it('reports a subcategory name that names no subcategory in one line', () => {
    const r = createRunAudit(withAudit('audit_policy:\n  subcategories:\n    Not A Subcategory: {failure: true}\n'), io, 'win32');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /^audit_policy\.subcategories\.Not A Subcategory: /);
  });

  it('builds a governor for the default policy', () => {
    const r = createRunAudit(withAudit(''), io, 'win32');
    assert.ok(r.ok && r.value !== null);
  });
});
