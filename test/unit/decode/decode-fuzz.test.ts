// Seeded fuzz of the decoder and the whole pipeline: real events from test/fixtures, mutated at byte and
// markup level, go through readInput -> splitEvents -> pipeline.process exactly as `explain` runs them.
// Each input must give, per record, a processed event or one clear error; nothing may throw or hang.
// Reproduce or explore: FUZZ_SEED=n FUZZ_CASES=n node --test test/unit/decode/decode-fuzz.test.ts
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readInput, splitEvents } from '../../../agent/decode/index.ts';
import type { DecodeErrorReason } from '../../../agent/decode/index.ts';
import { loadConfig } from '../../../agent/config/index.ts';
import { loadEnricher } from '../../../agent/enrich/index.ts';
import { createFilePipeline } from '../../../agent/cli/file-input.ts';
import { fixture, msDocsFiles, otrfFiles } from '../../helpers/fixtures.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261201);
const CASES = Number(process.env['FUZZ_CASES'] ?? 3000);

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
const corpus: string[] = [
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

describe('decode fuzz', () => {
  const config = loadConfig(undefined, () => undefined);
  const enricher = loadEnricher({ config, filtersFile: fixture('netsh-wfp/synthetic-filters.xml') });
  assert.ok(enricher.ok);
  const pipeline = createFilePipeline(config, enricher.value);

  it(`${CASES} mutated real events (seed ${SEED}): each record is a processed event or one clear error`, () => {
    assert.ok(corpus.length >= 20, 'the fixtures hold the corpus');
    const r = prng(SEED);
    const outcomes = { good: 0, bad: 0, unreadable: 0 };
    for (let n = 0; n < CASES; n++) {
      let text = pick(r, corpus);
      for (let m = 1 + int(r, 3); m > 0; m--) text = mutateText(r, text);
      const bytes = toBytes(r, text);
      const where = `case ${n} (FUZZ_SEED=${SEED}): ${JSON.stringify(text.slice(0, 200))}`;
      const input = readInput(bytes);
      if (!input.ok) {
        assert.match(input.detail, /^[^\n]+$/, where);
        outcomes.unreadable++;
        continue;
      }
      for (const item of splitEvents(input.text, 'fuzz.xml')) {
        pipeline.learn(item);
        const out = pipeline.process(item);
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
    // The mutations must reach both sides, or the test proves nothing.
    assert.ok(outcomes.good > CASES / 10, JSON.stringify(outcomes));
    assert.ok(outcomes.bad > CASES / 10, JSON.stringify(outcomes));
  });
});
