// replayIntoSink: log records flushed chunk by chunk, metrics once with the last chunk, stop at a failed flush.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../agent/config/index.ts';
import { loadEnricher } from '../../../agent/enrich/index.ts';
import { createFilePipeline } from '../../../agent/cli/file-input.ts';
import { replayChunk, replayIntoSink } from '../../../agent/cli/commands/replay-command.ts';
import { loadReplayFile } from '../../../agent/source/index.ts';
import { createInMemorySink } from '../../helpers/in-memory-sink.ts';
import { msDocsFiles } from '../../helpers/fixtures.ts';

const config = parseConfig('events: {include_allowed: true}\n', { file: '<test>', env: () => undefined });

function pipeline() {
  const enricher = loadEnricher({ config });
  if (!enricher.ok) throw new Error(enricher.detail);
  return createFilePipeline(config, enricher.value);
}
const items = msDocsFiles().flatMap((f) => [...loadReplayFile(f).items]);

describe('replayIntoSink', () => {
  it('flushes log records after every chunk and the metrics once, with the last', async () => {
    assert.ok(items.length >= 5, 'fixtures');
    const sink = createInMemorySink();
    const r = await replayIntoSink(items, pipeline(), sink, 2);
    assert.equal(r.flushError, null);
    const chunks = Math.ceil(items.length / 2);
    assert.deepEqual(sink.flushes, [...Array<'logs'>(chunks - 1).fill('logs'), 'all']);
    assert.equal(sink.exported.length, r.counts.logged + r.counts.counted);
  });

  it('stops at a failed flush and says how many events were not sent', async () => {
    const sink = createInMemorySink();
    sink.failNext(1);
    const r = await replayIntoSink(items, pipeline(), sink, 2);
    assert.match(r.flushError ?? '', /ECONNREFUSED/);
    assert.equal(r.notSent, items.length - 2);
    assert.deepEqual(sink.flushes, ['logs']);
  });

  it('uses chunks of two export batches, within the queue', () => {
    assert.equal(replayChunk(config), 2 * config.exporters.batch.max_export_batch_size);
    const small = parseConfig('exporters: {batch: {max_queue_size: 300, max_export_batch_size: 512}}\n', { file: '<test>', env: () => undefined });
    assert.equal(replayChunk(small), 300);
  });
});
