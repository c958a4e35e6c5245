import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createStopChannel, describeStopReason } from '../../../agent/cli/stop-channel.ts';

const ALL = ['SIGINT', 'SIGTERM', 'SIGBREAK'];

describe('createStopChannel', () => {
  for (const name of ALL) {
    it(`aborts on ${name} with the signal's name as reason`, () => {
      const signals = new EventEmitter();
      const channel = createStopChannel({ signals, available: ALL, stdin: null });
      assert.equal(channel.signal.aborted, false);
      signals.emit(name);
      assert.equal(channel.signal.aborted, true);
      assert.equal(channel.signal.reason, name);
      channel.dispose();
    });
  }

  it('listens only for the signals this platform has (no SIGBREAK listener off Windows)', () => {
    const signals = new EventEmitter();
    const channel = createStopChannel({ signals, available: ['SIGINT', 'SIGTERM'], stdin: null });
    assert.equal(signals.listenerCount('SIGBREAK'), 0);
    assert.equal(signals.listenerCount('SIGTERM'), 1);
    channel.dispose();
    assert.equal(signals.listenerCount('SIGTERM'), 0, 'dispose removes the handlers');
    assert.equal(signals.listenerCount('SIGINT'), 0);
  });

  it('aborts when standard input ends, ignoring what was written to it', async () => {
    const stdin = new PassThrough();
    const channel = createStopChannel({ signals: new EventEmitter(), available: ALL, stdin });
    stdin.write('anything\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(channel.signal.aborted, false, 'data is not a stop');
    stdin.end();
    await new Promise((r) => channel.signal.addEventListener('abort', r, { once: true }));
    assert.equal(channel.signal.reason, 'stdin-eof');
    assert.equal(describeStopReason(channel.signal.reason), 'standard input closed (--stop-on-stdin-eof)');
    channel.dispose();
    assert.equal(stdin.listenerCount('data'), 0);
  });

  it('treats a broken stdin pipe (the host died) as a stop', () => {
    const stdin = new PassThrough();
    const channel = createStopChannel({ signals: new EventEmitter(), available: ALL, stdin });
    stdin.destroy(new Error('EPIPE'));
    return new Promise<void>((resolve) =>
      channel.signal.addEventListener('abort', () => {
        assert.equal(channel.signal.reason, 'stdin-eof');
        channel.dispose();
        resolve();
      }),
    );
  });

  it('keeps the first reason when several stops arrive', () => {
    const signals = new EventEmitter();
    const stdin = new PassThrough();
    const channel = createStopChannel({ signals, available: ALL, stdin });
    signals.emit('SIGBREAK');
    stdin.end();
    signals.emit('SIGINT');
    assert.equal(channel.signal.reason, 'SIGBREAK');
    channel.dispose();
  });
});
