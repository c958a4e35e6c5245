#!/usr/bin/env -S node --max-semi-space-size=16
// The `wfp-agent` command. `--max-semi-space-size=16` caps V8's young generation, which V8 otherwise sizes from
// physical memory (64 MB semi-spaces on a 24 GB machine): with it (and replay's smaller chunks) `npm run bench`
// peaked at 140–184 MB RSS instead of ~280 MB, at the same or better throughput. Every launcher passes the same
// flag (package.json scripts, the service; test/unit/cli/launcher.test.ts checks them).
import './compile-cache.mjs';

await import('./wfp-agent.ts');
