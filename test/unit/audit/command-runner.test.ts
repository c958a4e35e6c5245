import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createExecFileRunner } from '../../../agent/audit/index.ts';

// The real runner, on real processes: Node itself stands in for a Windows tool.
const runner = createExecFileRunner();
const node = process.execPath;

describe('createExecFileRunner', () => {
  it('passes arguments verbatim, no shell in between', async () => {
    const args = ['a & b', '$(whoami)', '; rm -rf x', '%PATH%', '`id`'];
    const out = await runner.run(node, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args], { timeoutMs: 10_000 });
    assert.equal(out.code, 0);
    assert.deepEqual(JSON.parse(out.stdout), args);
  });

  it('returns the exit code and stderr of a failing tool', async () => {
    const out = await runner.run(node, ['-e', "process.stderr.write('Error 0x00000057 occurred:'); process.exit(87)"], { timeoutMs: 10_000 });
    assert.deepEqual(out, { code: 87, stdout: '', stderr: 'Error 0x00000057 occurred:', timedOut: false });
  });

  it('kills a tool that hangs once the timeout runs out', async () => {
    const started = Date.now();
    const out = await runner.run(node, ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 300 });
    assert.equal(out.timedOut, true);
    assert.equal(out.code, null);
    assert.ok(Date.now() - started < 10_000);
  });

  it('reports a tool that cannot start without throwing', async () => {
    const out = await runner.run('/nonexistent/auditpol.exe', ['/get'], { timeoutMs: 1000 });
    assert.equal(out.code, null);
    assert.equal(out.timedOut, false);
    assert.match(out.stderr, /cannot start \/nonexistent\/auditpol\.exe: ENOENT/);
  });

  it('refuses arguments with line breaks, NUL or double quotes before starting anything', async () => {
    for (const bad of ['/file:C:\\a.csv\r\n/clear', 'a\0b', '/file:"C:\\a.csv"']) {
      const out = await runner.run(node, ['-e', 'process.exit(0)', bad], { timeoutMs: 1000 });
      assert.equal(out.code, null);
      assert.match(out.stderr, /^refused to run .*: an argument contains/);
    }
  });
});
