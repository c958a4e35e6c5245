#!/usr/bin/env -S node --max-semi-space-size=16 --v8-pool-size=1
// The `wfp-agent` command, with the agent's V8 settings (every launcher passes the same: package.json scripts, the
// service; test/unit/cli/launcher.test.ts checks them). Measured with `npm run bench` on a 2-core, 24 GB VM:
// - `--max-semi-space-size=16` caps the young generation, which V8 otherwise sizes from physical memory (64 MB
//   semi-spaces here); with it and replay's smaller chunks the peak fell from ~280 MB to 140–184 MB, at the same
//   or better throughput.
// - `--v8-pool-size=1`: one V8 helper thread instead of four; the runs that peaked at 160–184 MB were extra
//   threads' malloc arenas, not the heap (the heap's high-water mark differed by ~4 MB). With it, 139–144 MB in
//   eleven runs, throughput unchanged.
import { nodeVersionProblem } from './node-version.mjs';

const problem = nodeVersionProblem(process.version, process.execPath);
if (problem !== null) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}
await import('./compile-cache.mjs');
await import('./wfp-agent.ts');
