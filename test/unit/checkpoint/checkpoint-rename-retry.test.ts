// Checkpoint writes on Windows: a rename refused for a moment (EPERM/EBUSY/EACCES from antivirus or backup
// tools holding the file) is retried with a short backoff; a lasting refusal is still a failed write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createCheckpointStore, createNodeCheckpointFs, RENAME_RETRY_DELAYS_MS } from '../../../agent/checkpoint/index.ts';
import { openWindowsEventLogSource } from '../../../agent/source/index.ts';
import { FakeBridge, FakeSecurityLog } from '../../helpers/fake-bridge.ts';
import { EVENT_IDS, tempStateDir } from '../../helpers/live-agent.ts';

/** The real rename, refused `failures` times first with `code`; waits recorded instead of slept. */
function flakyFs(failures: number, code = 'EPERM') {
  let left = failures;
  const waits: number[] = [];
  const fs = createNodeCheckpointFs({
    rename: async (from, to) => {
      if (left-- > 0) throw Object.assign(new Error(`${code}: operation not permitted, rename '${from}' -> '${to}'`), { code });
      await rename(from, to);
    },
    sleep: async (ms) => void waits.push(ms),
  });
  return { fs, waits };
}

describe('checkpoint rename retry', () => {
  for (const code of ['EPERM', 'EBUSY', 'EACCES']) {
    it(`a rename refused 4 times with ${code} succeeds on the 5th try`, async () => {
      const dir = tempStateDir();
      const { fs, waits } = flakyFs(4, code);
      const store = createCheckpointStore({ dir, fs });
      const saved = await store.save(1234);
      assert.ok(saved.ok, saved.ok ? '' : saved.detail);
      assert.deepEqual(waits, RENAME_RETRY_DELAYS_MS.slice(0, 4));
      assert.equal(JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')).channels.Security.record_id, 1234);
      await store.shutdown();
    });
  }

  it('gives up after about three seconds of refusals, and other errors are not retried', async () => {
    const lasting = flakyFs(1000);
    const store = createCheckpointStore({ dir: tempStateDir(), fs: lasting.fs });
    const saved = await store.save(1);
    assert.ok(!saved.ok);
    assert.equal(lasting.waits.length, RENAME_RETRY_DELAYS_MS.length);
    const total = lasting.waits.reduce((a, b) => a + b, 0);
    assert.ok(total >= 2000 && total <= 5000, `${total} ms in total`);
    await store.shutdown();
    const other = flakyFs(1, 'ENOSPC');
    const second = createCheckpointStore({ dir: tempStateDir(), fs: other.fs });
    assert.ok(!(await second.save(1)).ok);
    assert.deepEqual(other.waits, []);
    await second.shutdown();
  });

  it('a transient lock at start is not "state folder not writable"', async () => {
    const { fs } = flakyFs(3, 'EBUSY');
    const opened = await openWindowsEventLogSource({
      bridge: new FakeBridge(new FakeSecurityLog(1)),
      checkpoint: createCheckpointStore({ dir: tempStateDir(), fs }),
      eventIds: EVENT_IDS,
      start: { kind: 'checkpoint' },
      batchSize: 10,
      maxDelayMs: 20,
      queueBound: 100,
      backoffInitialMs: 5,
      backoffMaxMs: 20,
    });
    assert.ok(opened.ok, opened.ok ? '' : opened.error);
    await opened.value.shutdown();
  });
});
