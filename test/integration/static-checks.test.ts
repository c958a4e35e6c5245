// Node runs TypeScript by stripping types, so nothing checks them at run time, and the style rules live in
// the lint config (STYLE.md §15): both run here over the whole tree, so CI enforces them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (path: string) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));

async function run(script: string, args: readonly string[]): Promise<{ code: number; out: string }> {
  return promisify(execFile)(process.execPath, [script, ...args], { cwd: root, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

describe('static checks', () => {
  it('tsc -p . reports no errors (strict tsconfig)', { timeout: 180_000 }, async () => {
    const r = await run(bin('typescript/bin/tsc'), ['-p', '.', '--pretty', 'false']);
    assert.equal(r.code, 0, r.out.split('\n').slice(0, 20).join('\n'));
  });

  it('eslint . reports no problems', { timeout: 180_000 }, async () => {
    const r = await run(bin('eslint/bin/eslint.js'), ['.', '--max-warnings', '0']);
    assert.equal(r.code, 0, r.out.split('\n').slice(0, 30).join('\n'));
  });
});
