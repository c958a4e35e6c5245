import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpointStore, nodeCheckpointFs } from '../../../agent/checkpoint/index.ts';
import type { CheckpointFs } from '../../../agent/checkpoint/index.ts';

const fixedNow = () => new Date('2026-11-27T10:00:00.000Z');

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wfp-checkpoint-'));
}

describe('createCheckpointStore', () => {
  describe('load', () => {
    it('reports a missing file as missing', async () => {
      const store = createCheckpointStore({ dir: await tempDir() });
      assert.deepEqual(await store.load(), { kind: 'missing' });
    });

    it('reads back what it saved, as versioned JSON', async () => {
      const dir = await tempDir();
      const store = createCheckpointStore({ dir, now: fixedNow });
      assert.deepEqual(await store.save(304390), { ok: true, value: undefined });
      assert.deepEqual(JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8')), {
        version: 1,
        channels: { Security: { record_id: 304390, saved_at: '2026-11-27T10:00:00.000Z' } },
      });
      const again = createCheckpointStore({ dir });
      assert.deepEqual(await again.load(), { kind: 'found', recordId: 304390, savedAt: '2026-11-27T10:00:00.000Z' });
    });

    it('tells an empty start-up write from a position', async () => {
      const dir = await tempDir();
      await createCheckpointStore({ dir, now: fixedNow }).save(null);
      assert.deepEqual(await createCheckpointStore({ dir }).load(), { kind: 'empty', savedAt: '2026-11-27T10:00:00.000Z' });
    });

    for (const [name, text, detail] of [
      ['truncated JSON', '{"version":1,"chan', /not JSON/],
      ['an unknown version', '{"version":2,"channels":{}}', /unknown version 2/],
      ['a negative record id', '{"version":1,"channels":{"Security":{"record_id":-5}}}', /record_id -5 is not a record id/],
      ['a string record id', '{"version":1,"channels":{"Security":{"record_id":"12"}}}', /record_id "12"/],
      ['an array', '[1,2]', /not a JSON object/],
    ] as const) {
      it(`reports ${name} as corrupt, keeps the file aside, and never throws`, async () => {
        const dir = await tempDir();
        await writeFile(join(dir, 'checkpoint.json'), text);
        const result = await createCheckpointStore({ dir }).load();
        assert.equal(result.kind, 'corrupt');
        assert.match((result as { detail: string }).detail, detail);
        assert.deepEqual((await readdir(dir)).sort(), ['checkpoint.json.corrupt']);
      });
    }

    it('reports an unreadable file (not a missing one) as unreadable', async () => {
      const fs: CheckpointFs = {
        ...nodeCheckpointFs,
        readText: async () => {
          throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        },
      };
      const result = await createCheckpointStore({ dir: '/nowhere', fs }).load();
      assert.deepEqual(result, { kind: 'unreadable', detail: 'EACCES: permission denied' });
    });

    it('keeps other channels it found in the file', async () => {
      const dir = await tempDir();
      await writeFile(
        join(dir, 'checkpoint.json'),
        JSON.stringify({ version: 1, channels: { System: { record_id: 7, saved_at: 'x' }, Security: { record_id: 3, saved_at: 'y' } } }),
      );
      const store = createCheckpointStore({ dir, now: fixedNow });
      assert.equal((await store.load()).kind, 'found');
      await store.save(9);
      const written = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
      assert.deepEqual(written.channels.System, { record_id: 7, saved_at: 'x' });
      assert.equal(written.channels.Security.record_id, 9);
    });
  });

  describe('save', () => {
    it('writes a temp file and renames it, leaving no temp file behind', async () => {
      const calls: string[] = [];
      const fs: CheckpointFs = {
        ...nodeCheckpointFs,
        writeAtomic: async (path, text) => {
          calls.push(path);
          await nodeCheckpointFs.writeAtomic(path, text);
        },
      };
      const dir = await tempDir();
      await createCheckpointStore({ dir, fs }).save(1);
      assert.deepEqual(calls, [join(dir, 'checkpoint.json')]);
      assert.deepEqual(await readdir(dir), ['checkpoint.json']);
    });

    it('coalesces saves made while a write is in flight into one write of the newest value', async () => {
      const written: number[] = [];
      let release: () => void = () => undefined;
      const fs: CheckpointFs = {
        ...nodeCheckpointFs,
        writeAtomic: async (_path, text) => {
          written.push(JSON.parse(text).channels.Security.record_id);
          if (written.length === 1) await new Promise<void>((r) => (release = r));
        },
      };
      const store = createCheckpointStore({ dir: '/x', fs });
      const first = store.save(10);
      const others = [store.save(11), store.save(12), store.save(13)];
      await new Promise((r) => setImmediate(r));
      release();
      const results = await Promise.all([first, ...others]);
      assert.deepEqual(written, [10, 13]);
      assert.ok(results.every((r) => r.ok));
    });

    it('returns a failed write as a result, and the next save writes again', async () => {
      let fail = true;
      const fs: CheckpointFs = {
        ...nodeCheckpointFs,
        writeAtomic: async () => {
          if (fail) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        },
      };
      const store = createCheckpointStore({ dir: '/state', fs });
      const failed = await store.save(5);
      assert.equal(failed.ok, false);
      assert.match((failed as { detail: string }).detail, /^cannot write \/state\/checkpoint.json: ENOSPC/);
      fail = false;
      assert.equal((await store.save(6)).ok, true);
    });

    it('creates the state folder on the first write', async () => {
      const dir = join(await tempDir(), 'nested', 'state');
      assert.equal((await createCheckpointStore({ dir }).save(null)).ok, true);
      assert.deepEqual(await readdir(dir), ['checkpoint.json']);
    });

    it('refuses saves after shutdown and waits for the write in flight', async () => {
      const dir = await tempDir();
      const store = createCheckpointStore({ dir });
      const inFlight = store.save(42);
      await store.shutdown();
      assert.equal((await inFlight).ok, true);
      assert.equal((await store.save(43)).ok, false);
      await store.shutdown();
      assert.deepEqual(await createCheckpointStore({ dir }).load().then((l) => l.kind === 'found' && l.recordId), 42);
    });
  });
});
