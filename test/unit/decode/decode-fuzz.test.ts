// Seeded fuzz of the decoder and the whole pipeline (cases and checks: test/helpers/decode-fuzz.ts): real
// events from test/fixtures, mutated at byte and markup level, go through readInput -> splitEvents ->
// pipeline.process exactly as `explain` runs them. Each input must give, per record, a processed event or one
// clear error; nothing may throw, and no case may take time out of proportion with its size or never end.
// Reproduce or explore: FUZZ_SEED=n FUZZ_CASES=n node --test test/unit/decode/decode-fuzz.test.ts
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { describeCase, fuzzCases } from '../../helpers/decode-fuzz.ts';
import type { FuzzOutcomes } from '../../helpers/decode-fuzz.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261201);
const CASES = Number(process.env['FUZZ_CASES'] ?? 3000);
// The run took 0.7 s on these 2 cores at load 5 and up to 3.9 s at load 8; 20 s is five times the slow figure.
// The cases run in a worker that is terminated then: a test timeout alone cannot stop a synchronous loop.
const RUN_TIMEOUT_MS = Number(process.env['FUZZ_TIMEOUT_MS'] ?? 20_000);
const WORKER = new URL('../../helpers/decode-fuzz-worker.ts', import.meta.url);

function caseText(n: number): string {
  for (const c of fuzzCases(SEED, n + 1)) if (c.n === n) return describeCase(c, SEED);
  return `case ${n}`;
}

/** The worker's outcomes, its assertion error, or a failure naming the case that was running at the timeout. */
async function runInWorker(): Promise<FuzzOutcomes> {
  const progress = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { workerData: { seed: SEED, cases: CASES, progress } });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<FuzzOutcomes>((resolve, reject) => {
      worker.once('message', (m: FuzzOutcomes) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the fuzz worker exited (${code}) without a result`)));
      timer = setTimeout(() => {
        const n = Atomics.load(new Int32Array(progress), 0);
        reject(new Error(`no result within ${RUN_TIMEOUT_MS} ms: stuck at ${caseText(n)}`));
      }, RUN_TIMEOUT_MS);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}

describe('decode fuzz', () => {
  it(`${CASES} mutated real events (seed ${SEED}): each record is a processed event or one clear error, each case in bounded time`, { timeout: RUN_TIMEOUT_MS + 10_000 }, async (t) => {
    const outcomes = await runInWorker();
    t.diagnostic(JSON.stringify(outcomes));
    // The mutations must reach both sides, or the test proves nothing.
    assert.ok(outcomes.good > CASES / 10, JSON.stringify(outcomes));
    assert.ok(outcomes.bad > CASES / 10, JSON.stringify(outcomes));
  });
});
