// The decode fuzz's cases and its runner, shared by the test (test/unit/decode/decode-fuzz.test.ts) and the
// worker thread that runs them (decode-fuzz-worker.ts): real events from test/fixtures, mutated at byte and
// markup level, go through readInput -> splitEvents -> pipeline.process exactly as `explain` runs them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInput, splitEvents } from '../../agent/decode/index.ts';
import type { DecodeErrorReason } from '../../agent/decode/index.ts';
import { loadConfig } from '../../agent/config/index.ts';
import { loadEnricher } from '../../agent/enrich/index.ts';
import { createFilePipeline } from '../../agent/cli/file-input.ts';
import { fixture, msDocsFiles, otrfFiles } from './fixtures.ts';

const REASONS: ReadonlySet<DecodeErrorReason> = new Set(['malformed-xml', 'not-an-event', 'missing-field', 'malformed-json', 'too-deep', 'too-large', 'unsupported-input']);

/** mulberry32: small, fast, and the same sequence for a seed on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The corpus: every XML event (ms-docs) and every JSON line (OTRF) in the fixtures.
export const corpus: string[] = [
  ...msDocsFiles().map((f) => readFileSync(f, 'utf8')),
  ...otrfFiles().flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean)),
];

const MARKUP = ['<', '>', '&', '"', "'", '/', '=', '<Event>', '</Event>', '</Data>', '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', '<!DOCTYPE x [<!ENTITY a "b">]>', '&#0;', '&#xD800;', '&amp;', '&lt', '{', '}', '[', ']', ',', ':', '\\', '\\u0000', '"EventID":', '\u0000', '\uFEFF', '\uD800', '\r\n', '9'.repeat(40), '-1', 'NaN'];

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** One mutation of `text`: the kinds of damage files and shippers really do, plus plain noise. */
function mutateText(r: Rand, text: string): string {
  const at = int(r, text.length + 1);
  const span = 1 + int(r, 64);
  switch (int(r, 10)) {
    case 0: // truncated
      return text.slice(0, at);
    case 1: // a range lost
      return text.slice(0, at) + text.slice(at + span);
    case 2: // a range doubled
      return text.slice(0, at + span) + text.slice(at, at + span) + text.slice(at + span);
    case 3: // markup where it does not belong
      return text.slice(0, at) + pick(r, MARKUP) + text.slice(at);
    case 4: // a character replaced by markup
      return text.slice(0, at) + pick(r, MARKUP) + text.slice(at + 1);
    case 5: // two events glued, one cut short
      return text.slice(0, at) + pick(r, corpus);
    case 6: // random code units
      return text.slice(0, at) + String.fromCharCode(...Array.from({ length: span }, () => int(r, 0x10000))) + text.slice(at);
    case 7: // a digit changed (ids, ports, addresses, protocol numbers out of range)
      return text.replace(/\d/g, (d) => (r() < 0.05 ? String(int(r, 10)) : d));
    case 8: // nested inside itself
      return text.slice(0, at) + text + text.slice(at);
    default: // case flipped in a range (tag names, hex, GUIDs)
      return text.slice(0, at) + text.slice(at, at + span).toUpperCase() + text.slice(at + span);
  }
}

/** Bytes as a file would hold them, sometimes damaged below the text (encoding, NULs, flipped bits). */
function toBytes(r: Rand, text: string): Buffer {
  const roll = int(r, 8);
  const b = roll === 0 ? Buffer.from(text, 'utf16le') : roll === 1 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'utf8');
  if (roll >= 6) for (let k = 0; k < 1 + int(r, 8); k++) b[int(r, b.length)] = int(r, 256);
  return b;
}

export interface FuzzCase {
  readonly n: number;
  readonly text: string;
  readonly bytes: Buffer;
}

const LARGE_EVERY = 200;
const LARGE_BYTES = 256 * 1024;

/** The cases of a seed, in order: the same on every machine. */
export function* fuzzCases(seed: number, count: number): Generator<FuzzCase> {
  const r = prng(seed);
  for (let n = 0; n < count; n++) {
    let text = pick(r, corpus);
    for (let m = 1 + int(r, 3); m > 0; m--) text = mutateText(r, text);
    // Now and then a large file of many such records: a cost that grows faster than the input shows there.
    if (n % LARGE_EVERY === LARGE_EVERY - 1) text = `${text}\n`.repeat(Math.ceil(LARGE_BYTES / (text.length + 1)));
    yield { n, text, bytes: toBytes(r, text) };
  }
}

export function describeCase(c: FuzzCase, seed: number): string {
  return `case ${c.n} (FUZZ_SEED=${seed}): ${JSON.stringify(c.text.slice(0, 200))}`;
}

// "No hang", per case. A time bound needs no hook in the decoder (counting the scanner's steps would), but a
// loaded 2-core CI machine stretches single cases: here, at load 5, median 0.14 ms per case and 0.09 µs per
// byte, while the slowest of 3000 took 76 ms for 1.6 KB (a GC pause or the JIT, not the input). So the bound
// is generous and confirmed: a case over FLOOR_MS + MS_PER_BYTE × its length runs CONFIRM_RUNS more times and
// fails only if every run stays over (noise does not repeat; a super-linear scan does). MS_PER_BYTE is about
// 200 times the normal per-byte cost: what fails is a cost out of proportion with the size (backtracking,
// rescanning), not a slow machine. A case that never ends is the worker's timeout (the test file).
export const FLOOR_MS = 200;
export const MS_PER_BYTE = 0.02;
export const CONFIRM_RUNS = 3;

export const boundMs = (bytes: Buffer): number => FLOOR_MS + MS_PER_BYTE * bytes.length;

export interface FuzzOutcomes {
  good: number;
  bad: number;
  unreadable: number;
  /** Cases over the bound once, within it on a confirming run. */
  slowOnce: number;
  /** The slowest case's share of its bound, in percent (how much room the bound leaves here). */
  worstOfBoundPct: number;
}

/**
 * Runs the cases and asserts each: a processed event or one clear error per record, within the time bound.
 * `progress[0]` holds the case being run, so a hang can be named from outside.
 */
export function runFuzz(seed: number, count: number, progress: Int32Array): FuzzOutcomes {
  const config = loadConfig(undefined, () => undefined);
  const enricher = loadEnricher({ config, filtersFile: fixture('netsh-wfp/synthetic-filters.xml') });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);
  type Result = ReturnType<typeof pipeline.process>;
  type Outcome = { readonly kind: 'unreadable'; readonly detail: string } | { readonly kind: 'records'; readonly results: Result[] };

  /** What `explain` does with one file's bytes. */
  const runCase = (bytes: Buffer): Outcome => {
    const input = readInput(bytes);
    if (!input.ok) return { kind: 'unreadable', detail: input.detail };
    const results: Result[] = [];
    for (const item of splitEvents(input.text, 'fuzz.xml')) {
      pipeline.learn(item);
      results.push(pipeline.process(item));
    }
    return { kind: 'records', results };
  };
  const timed = (bytes: Buffer): { outcome: Outcome; ms: number } => {
    const t0 = performance.now();
    const outcome = runCase(bytes);
    return { outcome, ms: performance.now() - t0 };
  };

  assert.ok(corpus.length >= 20, 'the fixtures hold the corpus');
  const outcomes: FuzzOutcomes = { good: 0, bad: 0, unreadable: 0, slowOnce: 0, worstOfBoundPct: 0 };
  for (const c of fuzzCases(seed, count)) {
    Atomics.store(progress, 0, c.n);
    const where = describeCase(c, seed);
    const { outcome, ms } = timed(c.bytes);
    outcomes.worstOfBoundPct = Math.max(outcomes.worstOfBoundPct, Math.round((100 * ms) / boundMs(c.bytes)));
    if (ms > boundMs(c.bytes)) {
      const again = Array.from({ length: CONFIRM_RUNS }, () => timed(c.bytes).ms);
      assert.ok(
        Math.min(...again) <= boundMs(c.bytes),
        `${where}: ${c.bytes.length} bytes took ${ms.toFixed(0)} ms, then ${again.map((t) => t.toFixed(0)).join(', ')} ms (bound ${boundMs(c.bytes).toFixed(0)} ms)`,
      );
      outcomes.slowOnce++;
    }
    if (outcome.kind === 'unreadable') {
      assert.match(outcome.detail, /^[^\n]+$/, where);
      outcomes.unreadable++;
      continue;
    }
    for (const out of outcome.results) {
      if (out.ok) {
        const rec = out.value.record;
        assert.equal(typeof rec.eventName, 'string', where);
        assert.ok(rec.eventName.length > 0, where);
        assert.doesNotThrow(() => JSON.stringify(rec.attributes), where);
        outcomes.good++;
      } else {
        assert.ok(REASONS.has(out.reason), `${where}: unknown reason ${out.reason}`);
        assert.match(out.detail, /^[^\n]+$/, `${where}: the detail is one non-empty line`);
        assert.equal(out.file, 'fuzz.xml', where);
        assert.ok(out.position >= 1, where);
        outcomes.bad++;
      }
    }
  }
  return outcomes;
}
