// The skip-or-fail rule for missing test dependencies, run for real: a throwaway test file that needs a
// missing dependency, under the test runner with and without CI, and the setup step for .NET without dotnet.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { underCi } from '../../helpers/test-dependency.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wfp-test-dependency-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PROBE = join(dir, 'probe.test.ts');
writeFileSync(
  PROBE,
  `import { describe, it } from 'node:test';
import { needs } from ${JSON.stringify(join(ROOT, 'test/helpers/test-dependency.ts'))};
describe('needs the missing tool', { skip: needs('the missing tool', 'the-missing-tool not found: run its setup step') }, () => {
  it('would use it', () => { throw new Error('ran without its dependency'); });
});
describe('needs a present tool', { skip: needs('a present tool', null) }, () => {
  it('runs', () => {});
});
`,
);

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, out: `${stdout}${stderr}` });
    });
  });
}

const probe = (env: Record<string, string>) => run(process.execPath, ['--test', '--test-reporter=tap', PROBE], env);

describe('missing test dependencies', () => {
  it('skip with the reason outside CI', async () => {
    const r = await probe({});
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /# SKIP the-missing-tool not found: run its setup step/);
    assert.match(r.out, /# pass 1\n/);
    assert.doesNotMatch(r.out, /ran without its dependency/);
  });

  for (const ci of ['true', '1']) {
    it(`fail under CI=${ci}, saying what is missing, and do not run the tests that need it`, async () => {
      const r = await probe({ CI: ci });
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /not ok \d+ - test dependency present: the missing tool/);
      assert.match(r.out, /the-missing-tool not found: run its setup step \(CI is set: a missing test dependency is a failure, not a skip\)/);
      assert.match(r.out, /# fail 1\n/);
      assert.doesNotMatch(r.out, /ran without its dependency/);
    });
  }

  it('CI=false and CI=0 count as not CI', () => {
    assert.equal(underCi({ CI: 'false' }), false);
    assert.equal(underCi({ CI: '0' }), false);
    assert.equal(underCi({ CI: '' }), false);
    assert.equal(underCi({ CI: 'true' }), true);
  });

  it('the .NET setup step exits non-zero without dotnet under CI, 0 with a note elsewhere', async () => {
    // A PATH with only what the step needs besides dotnet.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync('/usr/bin/dirname', join(bin, 'dirname'));
    const step = join(ROOT, 'test/setup/steps/10-dotnet.sh');
    const local = await run('/bin/bash', [step], { PATH: bin });
    assert.equal(local.code, 0, local.out);
    assert.match(local.out, /dotnet not found; the bridge build and xunit tests will be skipped/);
    const ci = await run('/bin/bash', [step], { PATH: bin, CI: 'true' });
    assert.equal(ci.code, 1, ci.out);
    assert.match(ci.out, /dotnet not found, and CI is set/);
  });
});
