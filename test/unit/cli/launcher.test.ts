// The `wfp-agent` launcher (agent/cli/wfp-agent.mjs): it starts the agent with the compile cache on, and every
// way of starting the agent passes the same V8 flags (the bench measures the agent as it is launched).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..', '..');
const launcher = join(root, 'agent', 'cli', 'wfp-agent.mjs');
const run = promisify(execFile);

interface PackageJson {
  readonly version: string;
  readonly bin: Record<string, string>;
  readonly scripts: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;

/** The `--flag=number` options of a command line (the V8 settings), in order. */
const v8Flags = (line: string): string[] => line.split(/\s+/).filter((w) => /^--[a-z0-9-]+=\d+$/.test(w));

describe('wfp-agent launcher', () => {
  it('is the package bin and runs the CLI', async () => {
    assert.equal(pkg.bin['wfp-agent'], 'agent/cli/wfp-agent.mjs');
    const cache = mkdtempSync(join(tmpdir(), 'wfp-cc-'));
    try {
      const env = { ...process.env, NODE_COMPILE_CACHE: cache };
      const out = await run(process.execPath, [launcher, '--version'], { env });
      assert.equal(out.stdout.trim(), pkg.version);
      // The TypeScript modules were compiled into the cache, so the next start needs no type stripping.
      assert.ok(readdirSync(cache, { recursive: true }).length > 0, 'compile cache stays empty');
      const again = await run(process.execPath, [launcher, 'no-such-command'], { env }).catch((e: { code: number; stderr: string }) => e);
      assert.equal((again as { code: number }).code, 2);
      assert.match((again as { stderr: string }).stderr, /^wfp-agent: unknown command 'no-such-command'/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('passes the same V8 flags as npm start and npm run bench', () => {
    const shebang = readFileSync(launcher, 'utf8').split('\n')[0]!;
    const flags = v8Flags(shebang);
    assert.deepEqual(flags.map((f) => f.split('=')[0]), ['--max-semi-space-size', '--v8-pool-size'], shebang);
    assert.deepEqual(v8Flags(pkg.scripts['start']!), flags);
    assert.deepEqual(v8Flags(pkg.scripts['bench']!), flags);
    assert.match(pkg.scripts['bench']!, /--import \.\/agent\/cli\/compile-cache\.mjs /);
  });

  it('npm run bench compiles first, so the measured run starts from the cache like the service', async () => {
    const [compile, measured] = pkg.scripts['bench']!.split(' && ');
    assert.equal(compile, 'node test/bench/compile-only.mjs test/bench/pipeline.bench.ts');
    assert.match(measured!, / test\/bench\/pipeline\.bench\.ts$/);
    const cache = mkdtempSync(join(tmpdir(), 'wfp-cc-'));
    try {
      const env = { ...process.env, NODE_COMPILE_CACHE: cache };
      const out = await run(process.execPath, ['test/bench/compile-only.mjs', 'test/bench/pipeline.bench.ts'], { env, cwd: root });
      // Loaded and compiled, not run: no receiver, no figures.
      assert.match(out.stdout, /^compile step \(test\/bench\/pipeline\.bench\.ts\): peak \d+ MB RSS, cache in /);
      assert.doesNotMatch(out.stdout, /events_per_second/);
      const entries = readdirSync(cache, { recursive: true }).length;
      assert.ok(entries > 50, `compile cache holds ${entries} entries`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
