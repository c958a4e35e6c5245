// The CLI's command table (agent/cli/commands/index.ts): each command loads only when it runs, and the table's
// names and summaries (the top-level help) are the commands' own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS } from '../../../agent/cli/commands/index.ts';

const run = promisify(execFile);
const main = join(import.meta.dirname, '..', '..', '..', 'agent', 'cli', 'main.ts');

/** Runs main(argv) in a fresh Node and returns the node_modules packages that process loaded. */
async function packagesLoadedBy(argv: readonly string[]): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(main)});
    const quiet = { stdout: () => {}, stderr: () => {}, env: {}, cwd: process.cwd() };
    await main(${JSON.stringify(argv)}, quiet);
    const loaded = Object.keys(createRequire(import.meta.url).cache)
      .map((p) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(p)?.[1]).filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(loaded)].sort()));`;
  const out = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
  return JSON.parse(out.stdout) as string[];
}

describe('command table', () => {
  it('lists each command under its own name and summary', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, `summary of ${entry.name}`);
    }
  });

  it('loads no command libraries for --version, and a command loads its own when it runs', { timeout: 120_000 }, async () => {
    const atVersion = await packagesLoadedBy(['--version']);
    assert.deepEqual(atVersion, []);
    const atDemoHelp = await packagesLoadedBy(['demo', '--help']);
    for (const name of ['yaml', 'ajv', '@opentelemetry/api-logs']) assert.ok(atDemoHelp.includes(name), `demo loads ${name}: ${atDemoHelp.join(', ')}`);
  });
});
