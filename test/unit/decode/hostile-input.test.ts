// Hostile files through the real command (`explain`): each hostile record is one located error on stderr,
// the records and files after it still come out, and nothing kills the command.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../agent/cli/main.ts';
import { MAX_RECORD_CHARS } from '../../../agent/decode/index.ts';
import { fixture } from '../../helpers/fixtures.ts';
import { captureIo } from '../../helpers/capture-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'wfp-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = readFileSync(fixture('ms-docs/event-5157.xml'), 'utf8');
const GOOD_ID = /<EventRecordID>(\d+)</.exec(GOOD)![1]!;

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** explain --json over the files: stdout records, stderr problem lines (without the summary), exit code. */
async function explain(...files: string[]): Promise<{ code: number; records: { attributes: Record<string, unknown> }[]; problems: string[]; warnings: string[]; summary: string }> {
  const io = captureIo();
  const code = await main(['explain', '--json', ...files], io);
  const records = io.out().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { attributes: Record<string, unknown> });
  const lines = io.err().trim().split('\n');
  return { code, records, problems: lines.slice(0, -1).filter((l) => !l.includes(': warning: ')), warnings: lines.filter((l) => l.includes(': warning: ')), summary: lines.at(-1)! };
}

describe('hostile input to explain', () => {
  it('200,000 nested <Event> elements: one too-deep error, then the next event', async () => {
    const f = write('nested.xml', `${'<Event>'.repeat(200_000)}${'</Event>'.repeat(200_000)}\n${GOOD}`);
    const r = await explain(f);
    assert.equal(r.code, 1);
    assert.deepEqual(r.problems, [`${f}: record 1 (line 1): too-deep: elements nested deeper than 16 levels`]);
    assert.equal(r.records.length, 1);
    assert.equal(String(r.records[0]!.attributes['windows.event.record_id']), GOOD_ID);
  });

  it('a 100 MB single record: one too-large error, then the next event', async () => {
    const field = Buffer.alloc(100 * 1024 * 1024, 'x');
    const [head, tail] = GOOD.split('</EventData>') as [string, string];
    const f = write('huge.xml', Buffer.concat([Buffer.from(`${head}<Data Name="Big">`), field, Buffer.from(`</Data></EventData>${tail}\n${GOOD}`)]));
    const r = await explain(f);
    assert.equal(r.code, 1);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, new RegExp(`^${f}: record 1 \\(line 1\\): too-large: the record is 100\\.0 MiB of text, over the ${MAX_RECORD_CHARS / 1048576}\\.0 MiB limit; skipped$`));
    assert.equal(r.records.length, 1);
  });

  it('binary noise, NUL-filled and a NUL block between events: one error each, the good events and files go on', async () => {
    const noise = Buffer.alloc(1 << 20);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const bin = write('noise.bin', noise);
    const nul = write('nul.xml', Buffer.alloc(1 << 20));
    const mixed = write('mixed.xml', Buffer.concat([Buffer.from(GOOD), Buffer.alloc(4096), Buffer.from(GOOD)]));
    const good = fixture('ms-docs/event-5031.xml');
    const r = await explain(bin, nul, mixed, good);
    assert.equal(r.code, 1);
    assert.equal(r.problems.length, 3, r.problems.join('\n'));
    // File-level problems are reported while reading, before any record is processed.
    assert.equal(r.problems[0]!, `${nul}: the file is 1048576 NUL bytes and nothing else (zero-filled: preallocated or never written)`);
    assert.match(r.problems[1]!, new RegExp(`^${bin}: record 1 \\(line 1\\): not-an-event: `));
    assert.match(r.problems[2]!, new RegExp(`^${mixed}: record 2 \\(line \\d+\\): not-an-event: `));
    assert.equal(r.records.length, 3);
    assert.equal(r.summary, '5 records: 3 good, 2 bad; 3 logged, 0 counted only, 0 not collected by this config; 1 file(s) unreadable.');
  });

  it('UTF-16 without a byte-order mark, little and big endian: read, with one warning per file', async () => {
    const le = write('le.xml', Buffer.from(GOOD + GOOD, 'utf16le'));
    const be = write('be.xml', Buffer.from(GOOD + GOOD, 'utf16le').swap16());
    const r = await explain(le, be);
    assert.equal(r.code, 0);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, [`${le}: warning: no byte-order mark; read as UTF-16 LE`, `${be}: warning: no byte-order mark; read as UTF-16 BE`]);
    assert.equal(r.records.length, 4);
  });

  it('JSON nested 200,000 deep, as a line and as an array element: one error each, the next event goes on', async () => {
    const deep = `${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}`;
    const deepArray = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const next = '{"EventID":5157,"Hostname":"H","Direction":"%%14592","Protocol":6}';
    const lines = write('deep.jsonl', `${deep}\n${next}\n`);
    const array = write('deep.json', `[${deepArray},\n${next}]`);
    const r = await explain(lines, array);
    assert.equal(r.code, 1);
    assert.deepEqual(r.problems, [
      `${lines}: record 1 (line 1): not-an-event: no numeric EventID field`,
      `${array}: record 1 (line 1): not-an-event: the JSON value is not an object`,
    ]);
    assert.equal(r.records.length, 2);
  });
});
