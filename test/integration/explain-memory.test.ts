// Hostile input and memory, on the real `wfp-agent explain` process. explain (like replay and demo) reads each
// file whole and learns from the whole input before the first record, so its memory grows with the input
// (agent/README.md "Bad input"). What must hold whatever the input: a 100 MB single record is refused on its
// length, with one clear error, and the events after it come out. The file's bytes and its decoded text live
// outside the JavaScript heap (a Buffer, an external string), so the command runs with a heap capped well
// below the record's size (32 MB old space: an 80 MB heap limit with the launcher's 16 MB semi-spaces). V8
// still grants one large allocation beyond the limit to a small heap, so what this catches is the record
// copied into the heap more than once, or cut into many heap strings (checked: two copies in splitEvents end
// in "JavaScript heap out of memory"); one extra copy shows only in the peak RSS printed as a diagnostic.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from '../helpers/fixtures.ts';

const ROOT = new URL('../../', import.meta.url);
const CLI = new URL('agent/cli/wfp-agent.mjs', ROOT).pathname;
const RECORD_MB = 100;
// The command's heap holds ~15 MB at the end of this run (measured); 32 MB leaves it room.
const HEAP_CAP_MB = 32;
const GOOD = readFileSync(fixture('ms-docs/event-5157.xml'), 'utf8');

const dir = mkdtempSync(join(tmpdir(), 'wfp-explain-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A 5157 whose one Data field is `mb` MB of 'x', then a good 5157; written in 1 MB pieces. */
function writeHugeRecordFile(path: string, mb: number): void {
  const [head, tail] = GOOD.split('</EventData>') as [string, string];
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${head}<Data Name="Big">`);
    const piece = Buffer.alloc(1 << 20, 'x');
    for (let i = 0; i < mb; i++) writeSync(fd, piece);
    writeSync(fd, `</Data></EventData>${tail}\n${GOOD}`);
  } finally {
    closeSync(fd);
  }
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI as its launcher runs it, plus the heap cap; the peak RSS is printed on stderr at exit. */
function explain(args: readonly string[], timeoutMs: number): Promise<Run> {
  const report = 'data:text/javascript,process.on("exit",()=>process.stderr.write("peak_rss_mb="+Math.round(process.resourceUsage().maxRSS/1024)+"\\n"))';
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=16', '--v8-pool-size=1', `--max-old-space-size=${HEAP_CAP_MB}`, '--import', report, CLI, 'explain', '--json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`explain did not end within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('wfp-agent explain on hostile files, heap capped (real process)', () => {
  it(`a ${RECORD_MB} MB record and 200,000 nested <Event>s under a ${HEAP_CAP_MB} MB heap: one clear error each, the good events after them, no out-of-memory`, { timeout: 120_000 }, async (t) => {
    const huge = join(dir, 'huge.xml');
    writeHugeRecordFile(huge, RECORD_MB);
    const nested = join(dir, 'nested.xml');
    const fd = openSync(nested, 'w');
    writeSync(fd, `${'<Event>'.repeat(200_000)}${'</Event>'.repeat(200_000)}\n${GOOD}`);
    closeSync(fd);
    const r = await explain([huge, nested], 100_000);
    const lines = r.stderr.trim().split('\n');
    const peak = lines.find((l) => l.startsWith('peak_rss_mb='));
    t.diagnostic(`${peak ?? 'no peak_rss_mb line'} (heap cap ${HEAP_CAP_MB} MB, input ${RECORD_MB + 3} MB)`);
    assert.doesNotMatch(r.stderr, /out of memory|Maximum call stack/i);
    assert.deepEqual([r.code, r.signal], [1, null], r.stderr);
    const problems = lines.filter((l) => !l.startsWith('peak_rss_mb=')).slice(0, -1);
    assert.deepEqual(problems, [
      `${huge}: record 1 (line 1): too-large: the record is ${RECORD_MB}.0 MiB of text, over the 16.0 MiB limit; skipped`,
      `${nested}: record 1 (line 1): too-deep: elements nested deeper than 16 levels`,
    ]);
    assert.match(lines.at(-2)!, /^4 records: 2 good, 2 bad;/);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { eventName: string });
    assert.equal(records.length, 2, 'the event after each hostile record comes out');
  });
});
