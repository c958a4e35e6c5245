import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../agent/cli/main.ts';
import { createAuditCommand } from '../../../agent/cli/commands/audit-command.ts';
import { createFixedGpoDetector, NOT_GPO_MANAGED } from '../../../agent/audit/index.ts';
import { createFakeWindows } from '../../helpers/fake-auditpol-windows.ts';
import { captureIo } from '../../helpers/fake-auditpol-cli.ts';
import { needs } from '../../helpers/test-dependency.ts';


const NSA = new URL('../../fixtures/auditpol/nsacyber-audit.csv', import.meta.url).pathname;
// Modelled on a public GPO script's output (test/fixtures/auditpol/SOURCES.md): a name with another row's GUID, and
// category names where the Policy Target should be System.
const GPO_SCRIPT = new URL('../../fixtures/auditpol/synthetic-gpo-script-audit.csv', import.meta.url).pathname;
const RIT = new URL('../../../../shared/samples/auditpol/RIT-CyberForce_Windows-Scripts/auditpol.csv', import.meta.url).pathname;
const RIT_SKIP = needs('../shared/samples/auditpol RIT-CyberForce auditpol.csv', existsSync(RIT) ? null : 'needs ../shared/samples/auditpol/RIT-CyberForce_Windows-Scripts/auditpol.csv (not in a fresh clone)');
const dir = mkdtempSync(join(tmpdir(), 'wfp-audit-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configFile(yaml: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

describe('wfp-agent audit', () => {
  it('status --from-backup prints the table and exits 1 on drift or missing rows', async () => {
    const io = captureIo();
    const code = await createAuditCommand({ platform: 'linux' }).run(['status', '--from-backup', NSA], io);
    assert.equal(code, 1);
    const lines = io.out().split('\n');
    assert.match(lines[0]!, /^SUBCATEGORY\s+GUID\s+DESIRED\s+CURRENT\s+DRIFT$/);
    assert.match(io.out(), /^Filtering Platform Connection\s+\{0CCE9226-69AE-11D9-BED3-505054503030\}\s+failure\s+-\s+missing$/m);
    assert.match(io.out(), /^Audit Policy Change\s+\{0CCE922F-69AE-11D9-BED3-505054503030\}\s+success on\s+success and failure\s+no$/m);
  });

  it('status --from-backup names the rows Windows ignores and why, and names that disagree with their GUID', async () => {
    const io = captureIo();
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--from-backup', GPO_SCRIPT], io), 1);
    const out = io.out();
    // Line 3 meant Filtering Platform Connection, but its Policy Target is the category: Windows applies it to nobody.
    assert.match(out, /^Filtering Platform Connection\s+\{0CCE9226-69AE-11D9-BED3-505054503030\}\s+failure\s+-\s+missing \(line 3 ignored\)$/m);
    assert.match(out, /^Filtering Platform Packet Drop\s+\S+\s+failure on\s+-\s+missing \(line 4 ignored\)$/m);
    // Line 2 says Audit Policy Change but carries Filtering Platform Policy Change's GUID: the GUID is what counts.
    assert.match(out, /^Filtering Platform Policy Change\s+\{0CCE9233-69AE-11D9-BED3-505054503030\}\s+success on\s+success and failure\s+no$/m);
    assert.match(out, /^Audit Policy Change\s+\{0CCE922F-69AE-11D9-BED3-505054503030\}\s+success on\s+-\s+missing \(line 2 names it with another GUID\)$/m);
    assert.match(
      out,
      /^line 2: 'Audit Policy Change' names Audit Policy Change \{0CCE922F-69AE-11D9-BED3-505054503030\} but its GUID \{0CCE9233-69AE-11D9-BED3-505054503030\} is Filtering Platform Policy Change; Windows applies the GUID\.$/m,
    );
    for (const [line, name, category] of [[3, 'Filtering Platform Connection', 'Object Access'], [4, 'Filtering Platform Packet Drop', 'Object Access'], [6, 'MPSSVC Rule-Level Policy Change', 'Policy Change']] as const) {
      assert.match(out, new RegExp(`synthetic-gpo-script-audit\\.csv: line ${line}: '${name}' ignored: Policy Target is the category '${category}', not 'System'`));
    }
    // Correct rows give no note.
    assert.doesNotMatch(out, /line [57]:/);

    const json = captureIo();
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--json', '--from-backup', GPO_SCRIPT], json), 1);
    const report = JSON.parse(json.out()) as { ignoredRows: { line: number; guid: string }[]; nameMismatches: { line: number; guidName: string }[] };
    assert.deepEqual(report.ignoredRows.map((r) => [r.line, r.guid.slice(1, 9)]), [[3, '0CCE9226'], [4, '0CCE9225'], [6, '0CCE9232']]);
    assert.deepEqual(report.nameMismatches.map((m) => [m.line, m.guidName]), [[2, 'Filtering Platform Policy Change']]);
  });

  it("the GPO's audit.csv (deploy/gpo) sets exactly what the default config wants", async () => {
    const io = captureIo();
    const gpoCsv = new URL('../../../deploy/gpo/audit.csv', import.meta.url).pathname;
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--from-backup', gpoCsv], io), 0, io.out());
    assert.equal(io.out().split('\n').filter((l) => / no$/.test(l)).length, 4);
  });

  it('status --from-backup exits 0 when the backup matches the config', async () => {
    const io = captureIo();
    const config = configFile('audit_policy:\n  subcategories:\n    Audit Process Creation: { success: true, failure: false }\n    "{0cce922f-69ae-11d9-bed3-505054503030}": { success: true, failure: true }\n');
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--config', config, '--from-backup', NSA], io), 0, io.err());
  });

  it('status --json gives desired, current and drift per subcategory', { skip: RIT_SKIP }, async () => {
    const io = captureIo();
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--json', '--from-backup', RIT], io), 1);
    const report = JSON.parse(io.out()) as { subcategories: { name: string; desired: unknown; current: unknown; drift: string }[] };
    assert.deepEqual(report.subcategories[0], {
      name: 'Filtering Platform Connection',
      guid: '{0CCE9226-69AE-11D9-BED3-505054503030}',
      desired: { success: false, failure: true },
      current: { success: true, failure: true },
      drift: 'drift',
    });
    assert.deepEqual(report.subcategories.map((s) => s.drift), ['drift', 'drift', 'in-sync', 'in-sync']);
  });

  it('apply --dry-run --from-backup prints the exact commands for a Windows machine', { skip: RIT_SKIP }, async () => {
    const io = captureIo();
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['apply', '--dry-run', '--from-backup', RIT], io), 0);
    assert.equal(
      io.out(),
      [
        'C:\\Windows\\System32\\auditpol.exe /backup /file:C:\\ProgramData\\wfp-block-agent\\audit-policy-backup.csv',
        'C:\\Windows\\System32\\auditpol.exe /set /subcategory:{0CCE9226-69AE-11D9-BED3-505054503030} /success:disable /failure:enable',
        'C:\\Windows\\System32\\auditpol.exe /set /subcategory:{0CCE9225-69AE-11D9-BED3-505054503030} /success:enable /failure:enable',
        '',
      ].join('\n'),
    );
  });

  it('apply --dry-run on a (fake) machine runs nothing that changes it', async () => {
    const win = createFakeWindows();
    const io = captureIo();
    const cmd = createAuditCommand({ platform: 'linux', runner: win.runner, fs: win.fs, gpo: createFixedGpoDetector(NOT_GPO_MANAGED) });
    assert.equal(await cmd.run(['apply', '--dry-run', '--config', configFile('state_dir: /state\n')], io), 0, io.err());
    assert.equal(io.out().split('\n').filter((l) => l.includes('auditpol.exe /set')).length, 4);
    assert.match(io.out(), /wevtutil\.exe sl Security \/ms:268435456/);
    assert.deepEqual(win.changes(), []);
    assert.equal(win.fs.files.has('/state/audit-policy-backup.csv'), false);
  });

  it('says in one line that status/apply/restore need Windows (exit 2) off Windows without a runner', async () => {
    for (const action of ['status', 'apply', 'restore']) {
      const io = captureIo();
      assert.equal(await createAuditCommand({ platform: 'linux' }).run([action], io), 2);
      assert.equal(io.err().trim().split('\n').length, 1);
      assert.match(io.err(), new RegExp(`^wfp-agent audit ${action}: needs Windows`));
    }
  });

  it('rejects bad usage and bad subcategory keys with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /expected 'status', 'apply' or 'restore'/],
      [['restore', '--from-backup', NSA], /--from-backup goes with status or apply --dry-run/],
      [['apply', '--json'], /--json goes with status/],
      [['status', '--bogus'], /Unknown option '--bogus'/],
      [['status', '--from-backup', NSA, '--config', configFile('audit_policy:\n  subcategories:\n    Filterplattformverbindung: { failure: true }\n')], /audit_policy\.subcategories\.Filterplattformverbindung: unknown audit subcategory/],
      [['status', '--from-backup', NSA, '--config', configFile('audit_policy:\n  subcategories:\n    "{0CCE9226-69AE-11D9-BED3-505054503030} & calc": { failure: true }\n')], /is not a GUID of the form/],
      [['status', '--from-backup', NSA, '--config', configFile('audit_policy:\n  mode: fix\n')], /:2: audit_policy\.mode: expected one of "enforce", "verify", "off"/],
    ];
    for (const [args, pattern] of cases) {
      const io = captureIo();
      assert.equal(await createAuditCommand({ platform: 'linux' }).run(args, io), 2, args.join(' '));
      assert.match(io.err(), pattern);
    }
  });

  it('status --from-backup on a file that is not a backup says why (exit 1)', async () => {
    const io = captureIo();
    const file = join(dir, 'get.csv');
    writeFileSync(file, 'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting\r\n');
    assert.equal(await createAuditCommand({ platform: 'linux' }).run(['status', '--from-backup', file], io), 1);
    assert.match(io.err(), /auditpol \/get \/r/);
  });

  it('is wired into the top-level CLI with its help', async () => {
    const io = captureIo();
    assert.equal(await main(['audit', '--help'], io), 0);
    assert.match(io.out(), /wfp-agent audit status/);
  });
});
