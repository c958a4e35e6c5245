// `wfp-agent run`'s exit-code contract, as the Windows service host reads it: 0 for a requested stop that
// finished, whatever was dropped on the way (counted and told, not an exit failure); 1 when reading ended
// without a stop (the service host then starts the agent again).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRunCommand } from '../../../agent/cli/commands/run-command.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { FakeBridge, FakeSecurityLog, stopFakeBridges } from '../../helpers/fake-bridge.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import { blockEvents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import { runDepsWith } from '../../helpers/run-deps.ts';

function configFile(stateDir: string): string {
  const file = join(stateDir, 'agent.yaml');
  writeFileSync(file, `state_dir: ${JSON.stringify(stateDir)}\nsource:\n  batch_size: 5\n  max_delay_ms: 20\n  stop_timeout_ms: 5000\n`);
  return file;
}

/** A 5157 cut off in the middle: the decoder refuses it. */
const UNDECODABLE = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>5157</EventID><EventRecordID>0</EventRecordID>';

describe('wfp-agent run exit codes', { timeout: 20_000 }, () => {
  afterEach(() => stopFakeBridges());

  it('a clean stop exits 0 after an undecodable record was dropped, and the stop line still counts it', async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(1);
    log.append(...blockEvents(4), UNDECODABLE, ...blockEvents(5));
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    const stop = new AbortController();
    const io = captureIo();
    const command = createRunCommand(runDepsWith(bridge, sink, { stopSignal: () => stop.signal }));
    const running = command.run(['--config', configFile(stateDir)], io);
    try {
      await waitFor(() => bridge.startOptions !== null);
      // The checkpoint is missing: reading starts at the end of the log, so the records come after the start.
      log.append(...blockEvents(4), UNDECODABLE, ...blockEvents(5));
      await waitFor(() => sink.exported.length === 9);
    } finally {
      stop.abort();
    }
    assert.equal(await running, 0, io.err());
    assert.match(io.err(), /Stopped: 10 records read, 10 acknowledged, 1 dropped; checkpoint at 20\./);
    assert.doesNotMatch(io.err(), /exiting with code 1/);
  });

  it('reading that ends on an unexpected error, without a stop, exits 1 with a line saying so', async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(1);
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    // A sink that throws where it never should: the pump ends on the error instead of being stopped.
    sink.emit = () => {
      throw new TypeError('emit exploded');
    };
    const io = captureIo();
    const command = createRunCommand(runDepsWith(bridge, sink));
    const running = command.run(['--config', configFile(stateDir)], io);
    await waitFor(() => bridge.startOptions !== null);
    log.append(...blockEvents(3));
    assert.equal(await running, 1, io.err());
    assert.match(io.err(), /The live pump stopped on an unexpected error\. error=emit exploded/);
    assert.match(io.err(), /Reading ended without a stop request; exiting with code 1\./);
  });
});
