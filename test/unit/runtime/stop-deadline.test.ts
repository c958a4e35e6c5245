import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundStop } from '../../../agent/runtime/index.ts';

describe('boundStop', () => {
  it('returns the work result when it finishes, however long it ran before the stop', async () => {
    const stop = new AbortController();
    const work = new Promise<number>((r) => setTimeout(() => r(7), 30));
    assert.deepEqual(await boundStop(work, stop.signal, 5), { kind: 'finished', value: 7 }, 'the bound starts at the stop, not before');
  });

  it('cuts work still running timeoutMs after the stop', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const bounded = boundStop(new Promise<number>(() => undefined), stop.signal, 50);
    setTimeout(() => stop.abort('SIGTERM'), 20);
    assert.deepEqual(await bounded, { kind: 'cut', afterMs: 50 });
    assert.ok(Date.now() - started >= 65, 'counted from the stop');
  });

  it('arms at once when the stop came before', async () => {
    const stop = new AbortController();
    stop.abort('stdin-eof');
    assert.deepEqual(await boundStop(new Promise<number>(() => undefined), stop.signal, 10), { kind: 'cut', afterMs: 10 });
  });

  it('passes a failure of the work through', async () => {
    await assert.rejects(boundStop(Promise.reject(new Error('boom')), new AbortController().signal, 10), /boom/);
  });

  it('clears its timer when the work finishes after the stop', async () => {
    const stop = new AbortController();
    const cleared: unknown[] = [];
    const timers = { setTimeout: () => 'handle', clearTimeout: (h: unknown) => void cleared.push(h) };
    stop.abort();
    assert.deepEqual(await boundStop(Promise.resolve(1), stop.signal, 1000, timers), { kind: 'finished', value: 1 });
    assert.deepEqual(cleared, ['handle']);
  });
});
