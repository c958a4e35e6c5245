// The `wfp-agent` launcher (agent/cli/wfp-agent.mjs): it starts the agent with the compile cache on, and every
// way of starting the agent passes the same V8 flags (the bench measures the agent as it is launched).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
import { nodeVersionProblem } from '../../../agent/cli/node-version.mjs';
import { onlyWhen } from '../../helpers/test-dependency.ts';

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

  it('refuses a Node older than 24 in one line that says which Node and what to run instead', () => {
    assert.equal(nodeVersionProblem('v24.21.0', '/x/node'), null);
    assert.equal(nodeVersionProblem('v25.0.1', '/x/node'), null);
    for (const old of ['v20.20.2', 'v22.18.0', 'v23.11.1', 'garbage']) {
      const problem = nodeVersionProblem(old, '/usr/bin/node');
      assert.ok(problem !== null, old);
      assert.match(problem, new RegExp(`^wfp-agent: needs Node\\.js 24 or later, but /usr/bin/node is ${old}; run it with the repo's pinned Node`));
      assert.doesNotMatch(problem, /\n/);
    }
  });

  // The machine's own Node, when it is an older one (Node 20 on the CI machines): the launcher must stop before
  // any TypeScript loads, with exit 2 and the one line, instead of Node's ERR_UNKNOWN_FILE_EXTENSION.
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => existsSync(p));
  const systemVersion = systemNode === undefined ? '' : execFileSync(systemNode, ['--version'], { encoding: 'utf8' }).trim();
  const olderNode = systemNode !== undefined && nodeVersionProblem(systemVersion, systemNode) !== null;
  it('stops on an older system Node with exit 2 and that line', { skip: onlyWhen(olderNode, `no Node older than 24 on this machine (${systemNode ?? 'none'} ${systemVersion})`) }, async () => {
    const failed = await run(systemNode!, [launcher, '--version']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    assert.ok(failed !== null, 'the launcher ran on an older Node');
    assert.equal(failed.code, 2);
    assert.equal(failed.stderr, `${nodeVersionProblem(systemVersion, systemNode!)!}\n`);
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
