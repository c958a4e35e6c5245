// `wfp-agent run` wires flood control from the config (fake bridge, in-memory sink, real checkpoint).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunCommand } from '../../../agent/cli/commands/run-command.ts';
import type { RunDeps } from '../../../agent/cli/commands/run-command.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { FakeBridge, FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import type { InMemorySink } from '../../helpers/in-memory-sink.ts';
import { msDocs, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import { runDepsWith } from '../../helpers/run-deps.ts';

const T = { timeout: 20_000 };

const deps = (bridge: FakeBridge, sink: InMemorySink, stop: AbortSignal): RunDeps => runDepsWith(bridge, sink, { stopSignal: () => stop });

function configFile(stateDir: string, events: string): string {
  const file = join(stateDir, 'agent.yaml');
  writeFileSync(file, `state_dir: ${JSON.stringify(stateDir)}\nsource:\n  batch_size: 8\n  max_delay_ms: 20\nevents: ${events}\n`);
  return file;
}

describe('wfp-agent run with flood control', () => {
  it('aggregates a drop flood into one summary, logs the blocks, and checkpoints after the summary at stop', T, async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(1);
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    const stop = new AbortController();
    const io = captureIo();
    const running = createRunCommand(deps(bridge, sink, stop.signal)).run(['--config', configFile(stateDir, '{packet_drops: aggregate}')], io);
    try {
      await waitFor(() => bridge.startOptions !== null);
      log.append(...Array<string>(40).fill(msDocs(5152)), msDocs(5157));
      await waitFor(() => sink.exported.length === 41);
    } finally {
      stop.abort();
    }
    assert.equal(await running, 0, io.err());
    assert.deepEqual(
      sink.exported.filter((e) => e.record !== null).map((e) => e.record?.eventName),
      ['wfp.connection.blocked'],
    );
    assert.deepEqual(sink.exportedRecords.map((r) => [r.eventName, r.attributes['wfp.summary.count'], r.attributes['wfp.summary.first_record_id']]), [
      ['wfp.packet.dropped.summary', 40, 1],
    ]);
    assert.equal(JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8')).channels.Security.record_id, 41);
  });

  it('refuses a key cap that would overflow the export queue, in one line', T, async () => {
    const stateDir = tempStateDir();
    const bridge = new FakeBridge(new FakeSecurityLog(1));
    const io = captureIo();
    const code = await createRunCommand(deps(bridge, createInMemorySink(), new AbortController().signal)).run(
      ['--config', configFile(stateDir, '{packet_drops: aggregate, aggregate_max_keys: 100000}')],
      io,
    );
    assert.equal(code, 2);
    assert.match(io.err(), /^wfp-agent run: events\.aggregate_max_keys \(100000\) plus two batches \(2 × 8\) must fit in exporters\.batch\.max_queue_size \(16384\)/);
    assert.equal(bridge.stopCalls, 1);
  });
});
