// apply → drift → enforce → restore, end to end through the CLI and the governor, on a fake German Windows
// (auditpol / wevtutil / reg as one in-process CommandRunner that keeps state like the real tools).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditCommand } from '../../agent/cli/commands/audit-command.ts';
import { AUDIT_CSE_HISTORY_KEY, buildAudit } from '../../agent/audit/index.ts';
import { loadConfig } from '../../agent/config/index.ts';
import { createFakeWindows } from '../helpers/fake-auditpol-windows.ts';
import { createTelemetryHarness } from '../helpers/fake-auditpol-telemetry.ts';
import { auditPolicyChange, captureIo } from '../helpers/fake-auditpol-cli.ts';

const FPC = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const FPD = '{0CCE9225-69AE-11D9-BED3-505054503030}';
const FPP = '{0CCE9233-69AE-11D9-BED3-505054503030}';
const APC = '{0CCE922F-69AE-11D9-BED3-505054503030}';
const LOGON = '{0CCE9215-69AE-11D9-BED3-505054503030}';

const dir = mkdtempSync(join(tmpdir(), 'wfp-audit-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const CONFIG = join(dir, 'agent.yaml');
writeFileSync(CONFIG, 'state_dir: /state\naudit_policy:\n  check_interval: 1h\n');



describe('audit policy end to end (fake de-DE Windows)', () => {
  const original = { [LOGON]: 3, [APC]: 1, [FPC]: 1 };
  const win = createFakeWindows({ locale: 'de-DE', initial: original, securityLog: { maxSizeBytes: 20971520 } });
  const cli = createAuditCommand({ platform: 'linux', runner: win.runner, fs: win.fs });
  const run = async (...args: string[]) => {
    const io = captureIo(dir);
    const code = await cli.run([...args, '--config', CONFIG], io);
    return { code, out: io.out(), err: io.err() };
  };

  it('the fake answers /get /r with localized text, which the agent never reads', async () => {
    const get = await win.auditpol.run(['/get', `/subcategory:${FPC}`, '/r']);
    assert.equal(get.code, 0);
    assert.match(get.stdout, /^WS01,System,Filterplattformverbindung,\{0CCE9226-69AE-11D9-BED3-505054503030\},Erfolg,\r$/m);
    const bad = await win.auditpol.run(['/get', '/subcategory:{00000000-0000-0000-0000-000000000000}', '/r']);
    assert.equal(bad.code, 87);
    assert.match(bad.stderr, /^Fehler 0x00000057:\r\nFalscher Parameter\./);
  });

  it('status shows the drift (exit 1); apply backs up, fixes it and raises the log (exit 0); status is clean', async () => {
    const before = await run('status');
    assert.equal(before.code, 1, before.err);
    assert.match(before.out, /^Filtering Platform Connection\s+\S+\s+failure\s+success\s+yes$/m);
    assert.match(before.out, /^Audit Policy Change\s+\S+\s+success on\s+success\s+no$/m);
    assert.match(before.out, /Security log maximum size: 20 MiB \(wanted at least 256 MiB\)/);

    const applied = await run('apply');
    assert.equal(applied.code, 0, applied.err);
    assert.deepEqual(applied.out.split('\n').filter((l) => l.startsWith('ran: ')), [
      'ran: C:\\Windows\\System32\\auditpol.exe /backup /file:/state/audit-policy-backup.csv',
      `ran: C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPC} /success:disable /failure:enable`,
      `ran: C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPD} /success:disable /failure:enable`,
      `ran: C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPP} /success:enable /failure:disable`,
      'ran: C:\\Windows\\System32\\wevtutil.exe sl Security /ms:268435456',
    ]);
    assert.deepEqual([FPC, FPD, FPP, APC, LOGON].map((g) => win.auditpol.policy.get(g)), [2, 2, 1, 1, 3]);
    assert.match(win.fs.text('/state/audit-policy-backup.csv') ?? '', /Filterplattformverbindung,\{0cce9226-69ae-11d9-bed3-505054503030\},Erfolg,,1/);

    const clean = await run('status');
    assert.equal(clean.code, 0, clean.out);
    const again = await run('apply');
    assert.equal(again.code, 0);
    assert.match(again.out, /^Nothing to change/);
  });

  it('drift by someone else is fixed at once on its 4719 (enforce) and only reported in verify', async () => {
    const telemetry = createTelemetryHarness();
    const config = loadConfig(CONFIG);
    const deps = {
      runner: win.runner,
      fs: win.fs,
      systemRoot: 'C:\\Windows',
      stateDir: '/state',
      meterProvider: telemetry.meterProvider,
      loggerProvider: telemetry.loggerProvider,
    };
    const enforce = buildAudit(config.audit_policy, deps);
    const verify = buildAudit({ ...config.audit_policy, mode: 'verify' }, deps);
    assert.ok(enforce.ok && verify.ok);

    await win.auditpol.run(['/set', `/subcategory:${FPC}`, '/failure:disable']);
    const seen = await verify.value.governor.onAuditPolicyChangeEvent(auditPolicyChange(FPC.toLowerCase()));
    assert.deepEqual(seen?.changes, []);
    assert.equal(win.auditpol.policy.get(FPC), 0);

    const fixed = await enforce.value.governor.onAuditPolicyChangeEvent(auditPolicyChange(FPC.toLowerCase()));
    assert.deepEqual(fixed?.changes, [`C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPC} /success:disable /failure:enable`]);
    assert.equal(win.auditpol.policy.get(FPC), 2);
    assert.match(win.fs.text('/state/audit-policy-backup.csv') ?? '', /Erfolg,,1/, 'the first backup (before the agent) is kept');

    const names = telemetry.logs().map((l) => l.eventName);
    assert.deepEqual(names, ['wfp.audit.drift', 'wfp.audit.drift', 'wfp.audit.change']);
    const points = await telemetry.points();
    assert.equal(points.find((p) => p.name === 'wfp.audit.corrections')?.value, 1);
    await enforce.value.governor.shutdown();
    await verify.value.governor.shutdown();
    await telemetry.shutdown();
  });

  it('a GPO appearing later stops enforce from changing anything', async () => {
    const gpoWin = createFakeWindows({ locale: 'de-DE', registry: { [AUDIT_CSE_HISTORY_KEY]: { subkeys: ['0'] } } });
    const gpoCli = createAuditCommand({ platform: 'linux', runner: gpoWin.runner, fs: gpoWin.fs });
    const io = captureIo(dir);
    assert.equal(await gpoCli.run(['apply', '--config', CONFIG], io), 1);
    assert.match(io.err(), /set by Group Policy .*Group Policy\\History\\\{F3CCC681-B74C-4060-9F26-CD84525DCA2A\} \(1 GPOs with audit settings applied\)/);
    assert.deepEqual(gpoWin.changes(), []);
    const status = captureIo(dir);
    await gpoCli.run(['status', '--config', CONFIG], status);
    assert.match(status.out(), /Group Policy sets the advanced audit policy .*: enforce changes nothing here\./);
  });

  it('restore puts the policy and the log size back, once', async () => {
    const restored = await run('restore');
    assert.equal(restored.code, 0, restored.err);
    assert.deepEqual(restored.out.split('\n').filter((l) => l.startsWith('ran: ')), [
      'ran: C:\\Windows\\System32\\auditpol.exe /restore /file:/state/audit-policy-backup.csv',
      'ran: C:\\Windows\\System32\\wevtutil.exe sl Security /ms:20971520',
    ]);
    assert.deepEqual([FPC, FPD, FPP, APC, LOGON].map((g) => win.auditpol.policy.get(g)), [1, 0, 0, 1, 3]);
    assert.equal(win.wevtutil.maxSizeBytes, 20971520);
    assert.equal(win.fs.files.has('/state/audit-policy-backup.csv'), false);
    assert.ok([...win.fs.files.keys()].some((k) => /^\/state\/audit-policy-backup\.csv\.restored-/.test(k)));

    const twice = await run('restore');
    assert.equal(twice.code, 1);
    assert.match(twice.err, /No backup in \/state: the agent has not changed this machine's audit policy/);
  });

  it("an unelevated prompt gets the tool's error and a hint, and nothing changes", async () => {
    const plain = createFakeWindows();
    plain.auditpol.elevated = false;
    const io = captureIo(dir);
    const code = await createAuditCommand({ platform: 'linux', runner: plain.runner, fs: plain.fs }).run(['status', '--config', CONFIG], io);
    assert.equal(code, 1);
    assert.match(io.err(), /exited with 1314: Error 0x00000522 occurred: A required privilege is not held by the client\. \(run the agent as an administrator or LocalSystem\)/);
    assert.deepEqual(plain.changes(), []);
  });
});
