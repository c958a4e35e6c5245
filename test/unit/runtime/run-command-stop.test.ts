// How `wfp-agent run` stops: standard input closing (--stop-on-stdin-eof, the service host's channel) stops a
// run that flushes and checkpoints; a stop that cannot finish within source.stop_timeout_ms is cut with one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createRunCommand } from '../../../agent/cli/commands/run-command.ts';
import type { RunDeps, StopSignalOptions } from '../../../agent/cli/commands/run-command.ts';
import { createStopChannel } from '../../../agent/cli/stop-channel.ts';
import { captureIo } from '../../helpers/capture-io.ts';
import { FakeBridge, FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import type { InMemorySink } from '../../helpers/in-memory-sink.ts';
import { blockEvents, tempStateDir, waitFor } from '../../helpers/live-agent.ts';
import { runDepsWith } from '../../helpers/run-deps.ts';

function configFile(stateDir: string, extra = ''): string {
  const file = join(stateDir, 'agent.yaml');
  writeFileSync(file, `state_dir: ${JSON.stringify(stateDir)}\nsource:\n  batch_size: 5\n  max_delay_ms: 20\n${extra}`);
  return file;
}

/** The production stop channel over a stdin the test controls. */
function stdinStop(stdin: PassThrough, asked: StopSignalOptions[]): RunDeps['stopSignal'] {
  return (options) => {
    asked.push(options);
    const channel = createStopChannel({ signals: new EventEmitter(), available: ['SIGINT', 'SIGTERM'], stdin: options.stdinEof ? stdin : null });
    options.ended.addEventListener('abort', () => channel.dispose(), { once: true });
    return channel.signal;
  };
}

const deps = (bridge: FakeBridge, sink: InMemorySink, overrides: Partial<RunDeps>): RunDeps => runDepsWith(bridge, sink, overrides);

describe('wfp-agent run: stop', () => {
  it('stops when standard input closes (--stop-on-stdin-eof), after exporting and checkpointing', { timeout: 20_000 }, async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(100);
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    const stdin = new PassThrough();
    const asked: StopSignalOptions[] = [];
    const io = captureIo();
    const command = createRunCommand(deps(bridge, sink, { stopSignal: stdinStop(stdin, asked) }));
    const running = command.run(['--config', configFile(stateDir), '--stop-on-stdin-eof'], io);
    await waitFor(() => bridge.startOptions !== null);
    log.append(...blockEvents(7));
    await waitFor(() => sink.exported.length === 7);
    stdin.write('ignored\n');
    stdin.end();
    assert.equal(await running, 0);
    assert.equal(asked[0]?.stdinEof, true);
    assert.equal(bridge.startOptions?.stopTimeoutMs, 5000, "the bridge's stop wait within the default 10 s bound");
    assert.equal(asked[0]?.ended.aborted, true, 'the channel is released when the run ends');
    assert.equal(stdin.listenerCount('end'), 0);
    assert.match(io.err(), /Stopping \(standard input closed \(--stop-on-stdin-eof\)\): flushing the batch in hand and writing the checkpoint\./);
    assert.match(io.err(), /Stopped: 7 records read, 7 acknowledged, 0 dropped; checkpoint at 106\./);
    const saved = JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8'));
    assert.equal(saved.channels.Security.record_id, 106);
    assert.equal(bridge.stopCalls >= 1, true, 'the bridge was stopped');
  });

  it('does not stop on stdin EOF without --stop-on-stdin-eof; SIGTERM stops it', { timeout: 20_000 }, async () => {
    const stdin = new PassThrough();
    const signals = new EventEmitter();
    const asked: StopSignalOptions[] = [];
    const bridge = new FakeBridge(new FakeSecurityLog(5));
    const sink = createInMemorySink();
    const io = captureIo();
    let signal: AbortSignal | null = null;
    const stopSignal: RunDeps['stopSignal'] = (options) => {
      asked.push(options);
      const channel = createStopChannel({ signals, available: ['SIGINT', 'SIGTERM'], stdin: options.stdinEof ? stdin : null });
      options.ended.addEventListener('abort', () => channel.dispose(), { once: true });
      return (signal = channel.signal);
    };
    const running = createRunCommand(deps(bridge, sink, { stopSignal })).run(['--config', configFile(tempStateDir())], io);
    await waitFor(() => bridge.startOptions !== null);
    stdin.end();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(asked[0]?.stdinEof, false);
    assert.equal(signal!.aborted, false, 'stdin EOF alone does not stop a console run');
    signals.emit('SIGTERM');
    assert.equal(await running, 0);
    assert.match(io.err(), /Stopping \(SIGTERM\)/);
    assert.equal(signals.listenerCount('SIGINT'), 0, 'the handlers are removed when the run ends');
  });

  it('cuts a stop that cannot finish within source.stop_timeout_ms, with one line and exit code 1', { timeout: 20_000 }, async () => {
    const stateDir = tempStateDir();
    const log = new FakeSecurityLog(200);
    const bridge = new FakeBridge(log);
    const sink = createInMemorySink();
    // The exporter hangs on shutdown (a backend that never answers): the stop cannot finish by itself.
    sink.shutdown = () => new Promise<void>(() => undefined);
    const stdin = new PassThrough();
    const exits: number[] = [];
    const io = captureIo();
    const command = createRunCommand(deps(bridge, sink, { stopSignal: stdinStop(stdin, []), exitAfterCutStop: (code) => void exits.push(code) }));
    const running = command.run(['--config', configFile(stateDir, '  stop_timeout_ms: 1000\n'), '--stop-on-stdin-eof'], io);
    await waitFor(() => bridge.startOptions !== null);
    log.append(...blockEvents(3));
    await waitFor(() => sink.exported.length === 3);
    const stoppedAt = Date.now();
    stdin.end();
    assert.equal(await running, 1);
    const took = Date.now() - stoppedAt;
    assert.ok(took >= 990 && took < 5000, `cut after ${took} ms`);
    assert.deepEqual(exits, [1], 'the CLI is told to exit');
    assert.equal(bridge.startOptions?.stopTimeoutMs, 500, "the bridge's stop wait takes at most half of the bound");
    const lines = io.err().split('\n').filter((l) => /stop_timeout_ms/.test(l));
    assert.deepEqual(lines, [
      'wfp-agent run: The stop did not finish within source.stop_timeout_ms (1000 ms); exiting now with code 1. Records after the last checkpoint are read again at the next start.',
    ]);
    const saved = JSON.parse(readFileSync(join(stateDir, 'checkpoint.json'), 'utf8'));
    assert.equal(saved.channels.Security.record_id, 202, 'what was exported before the stop is checkpointed');
  });
});
