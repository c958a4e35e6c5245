// `wfp-agent run` on Linux with the real net48 bridge (edge-js on CoreCLR) and its synthetic producer: the
// production path from the bridge's queue to the OTLP receiver and the checkpoint file, in a real process.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';
import type { OtlpReceiver } from '../helpers/otlp-receiver.ts';
import { AGENT_CLI, blockTemplates, ROOT, startSyntheticAgent, syntheticAgentSkip, syntheticAgentUnavailable } from '../helpers/synthetic-agent.ts';
import type { SyntheticAgent } from '../helpers/synthetic-agent.ts';

const receivers: OtlpReceiver[] = [];
const agents: SyntheticAgent[] = [];
after(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL', 1000)));
  await Promise.all(receivers.map((r) => r.close()));
});

function recordIds(receiver: OtlpReceiver): number[] {
  return receiver.logs.map((l) => Number(l.attributes['windows.event.record_id'])).filter((n) => Number.isFinite(n));
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the synthetic source switch', () => {
  it('is refused without WFP_AGENT_TEST_SYNTHETIC_SOURCE=1, and run stays Windows-only without it', { timeout: 30_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfp-synthetic-switch-'));
    const spec = join(dir, 'synthetic.json');
    writeFileSync(spec, JSON.stringify({ producer: { count: 10 } }));
    const env = { ...process.env };
    delete env['WFP_AGENT_TEST_SYNTHETIC_SOURCE'];
    const refused = spawnSync(process.execPath, [AGENT_CLI, 'run', '--synthetic-source', spec], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /--synthetic-source is for tests and benchmarks only: it needs WFP_AGENT_TEST_SYNTHETIC_SOURCE=1/);
    // The environment alone does nothing: without the option, run still needs Windows.
    const envOnly = spawnSync(process.execPath, [AGENT_CLI, 'run'], { cwd: ROOT, env: { ...env, WFP_AGENT_TEST_SYNTHETIC_SOURCE: '1' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(envOnly.status, 2);
    assert.match(envOnly.stderr, /live reading needs Windows/);
    // The option is not in the help.
    const help = spawnSync(process.execPath, [AGENT_CLI, 'run', '--help'], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
    assert.doesNotMatch(help.stdout, /synthetic/i);
    // A bad producer is one line.
    writeFileSync(spec, JSON.stringify({ producer: { count: 10, rat: 5 } }));
    const bad = spawnSync(process.execPath, [AGENT_CLI, 'run', '--synthetic-source', spec], { cwd: ROOT, env: { ...env, WFP_AGENT_TEST_SYNTHETIC_SOURCE: '1' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /producer\.rat: unknown key/);
  });
});

describe('wfp-agent run with the real bridge and the synthetic producer', { skip: syntheticAgentSkip(), concurrency: false }, () => {
  it('exports a backlog once each, checkpoints it, and a restart resumes after the checkpoint', { timeout: 120_000 }, async () => {
    assert.equal(syntheticAgentUnavailable(), null);
    const receiver = await startOtlpReceiver();
    receivers.push(receiver);
    const producer = { firstId: 1001, backlog: 600, rate: 0, mix: { '5157': 2, '5152': 1 }, templates: blockTemplates() };
    const first = startSyntheticAgent({ producer, receiverUrl: receiver.url });
    agents.push(first);
    await until(() => first.checkpoint() === 1600, 60_000, () => `checkpoint ${first.checkpoint()}; stderr:\n${first.stderr()}`);
    await until(() => recordIds(receiver).length >= 600, 10_000, () => `${recordIds(receiver).length} received`);
    assert.equal(await first.stop('SIGTERM'), 0, first.stderr());
    const ids = recordIds(receiver).sort((a, b) => a - b);
    assert.deepEqual(ids, Array.from({ length: 600 }, (_, i) => 1001 + i), 'every record once');
    const names = new Set(receiver.logs.map((l) => l.eventName));
    assert.ok(names.size >= 2, `both event kinds were interpreted: ${[...names].join(', ')}`);
    assert.match(first.stderr(), /SYNTHETIC test source/);
    assert.match(first.stderr(), /Stopped: 600 records read, 600 acknowledged, 0 dropped; checkpoint at 1600/);

    // The same simulated log, now 200 records longer: the restart reads only those.
    const second = startSyntheticAgent({ producer: { ...producer, backlog: 800 }, receiverUrl: receiver.url, stateDir: first.stateDir, source: { start_position: 'checkpoint' } });
    agents.push(second);
    await until(() => second.checkpoint() === 1800, 60_000, () => `checkpoint ${second.checkpoint()}; stderr:\n${second.stderr()}`);
    await until(() => recordIds(receiver).length >= 800, 10_000, () => `${recordIds(receiver).length} received`);
    assert.equal(await second.stop('SIGINT'), 0, second.stderr());
    assert.deepEqual(recordIds(receiver).sort((a, b) => a - b), Array.from({ length: 800 }, (_, i) => 1001 + i));
    assert.match(second.stderr(), /resumes after record 1600/);
  });
});
