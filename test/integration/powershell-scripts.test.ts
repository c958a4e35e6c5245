// The fleet scripts in deploy/ (Intune detection and remediation, the GPO startup script): their Pester tests
// under PowerShell 7 with every Windows command mocked, and the AST check that each script is Windows
// PowerShell 5.1 syntax (test/deploy/*.Tests.ps1). pwsh and Pester come from test/setup/steps/40-powershell.sh;
// without them the test skips with that hint, and fails under CI=true.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needs } from '../helpers/test-dependency.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PESTER_VERSION = '5.7.1';
const pwsh = join(process.env['WFP_PWSH_DIR'] ?? join(root, '.tools', 'pwsh'), 'pwsh');
const pester = join(process.env['NUGET_PACKAGES'] ?? join(homedir(), '.nuget', 'packages'), 'pester', PESTER_VERSION, 'tools', 'Pester.psd1');
const missing = [pwsh, pester].filter((p) => !existsSync(p));
const skip = needs('pwsh and Pester', missing.length === 0 ? null : `needs ${missing.join(' and ')} (bash test/setup/steps/40-powershell.sh)`);

interface PesterSummary {
  readonly passed: number;
  readonly failed: number;
  readonly failedNames: string[];
}

describe('deploy/ PowerShell scripts', () => {
  it('pass their Pester tests and the Windows PowerShell 5.1 syntax check', { skip, timeout: 300_000 }, async () => {
    assert.deepEqual(missing, [], 'PowerShell or Pester is missing: run bash test/setup/steps/40-powershell.sh');
    const script = [
      `Import-Module '${pester.replace(/'/g, "''")}'`,
      '$c = New-PesterConfiguration',
      "$c.Run.Path = 'test/deploy'",
      '$c.Run.PassThru = $true',
      "$c.Output.Verbosity = 'Normal'",
      '$r = Invoke-Pester -Configuration $c',
      "$s = @{ passed = $r.PassedCount; failed = $r.FailedCount; failedNames = @($r.Failed | ForEach-Object { $_.ExpandedPath }) }",
      "Write-Output ('PESTER-SUMMARY ' + ($s | ConvertTo-Json -Compress))",
    ].join('; ');
    const out = await new Promise<string>((resolve) => {
      execFile(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { cwd: root, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) =>
        resolve(`${stdout}${stderr}`),
      );
    });
    const line = /^PESTER-SUMMARY (.+)$/m.exec(out)?.[1];
    assert.ok(line, out.slice(-3000));
    const summary = JSON.parse(line) as PesterSummary;
    assert.deepEqual(summary.failedNames, [], out.slice(-3000));
    assert.equal(summary.failed, 0);
    // Every script's tests ran: detection 5, remediation detection 8 and fix 7, GPO 7, syntax check >= 12.
    assert.ok(summary.passed >= 39, `only ${summary.passed} Pester tests passed`);
  });
});
