import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditPolicyConfig } from '../../../agent/config/index.ts';
import { parseConfig } from '../../../agent/config/index.ts';
import type { AuditDeps, AuditStage, CommandRunner, GpoDetector } from '../../../agent/audit/index.ts';
import { buildAudit, createFixedGpoDetector, NOT_GPO_MANAGED } from '../../../agent/audit/index.ts';
import type { FakeWindows } from '../../helpers/fake-auditpol-windows.ts';
import { createFailingRunner, createFakeWindows, createHangingRunner } from '../../helpers/fake-auditpol-windows.ts';
import type { TelemetryHarness } from '../../helpers/fake-auditpol-telemetry.ts';
import { createTelemetryHarness } from '../../helpers/fake-auditpol-telemetry.ts';
import { auditPolicyChange } from '../../helpers/fake-auditpol-cli.ts';

const FPC = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const FPD = '{0CCE9225-69AE-11D9-BED3-505054503030}';
const FPP = '{0CCE9233-69AE-11D9-BED3-505054503030}';
const APC = '{0CCE922F-69AE-11D9-BED3-505054503030}';

function auditConfig(yaml = ''): AuditPolicyConfig {
  return parseConfig(`audit_policy:\n  command_timeout: 200ms\n${yaml}`, { file: 'test.yaml', env: () => undefined }).audit_policy;
}

const harnesses: TelemetryHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.shutdown();
});

function setup(options: { yaml?: string; win?: FakeWindows; runner?: CommandRunner; gpo?: GpoDetector; timers?: AuditDeps['timers'] } = {}) {
  const win = options.win ?? createFakeWindows();
  const telemetry = createTelemetryHarness();
  harnesses.push(telemetry);
  const built = buildAudit(auditConfig(options.yaml), {
    runner: options.runner ?? win.runner,
    fs: win.fs,
    systemRoot: 'C:\\Windows',
    stateDir: '/state',
    gpo: options.gpo ?? createFixedGpoDetector(NOT_GPO_MANAGED),
    meterProvider: telemetry.meterProvider,
    loggerProvider: telemetry.loggerProvider,
    now: () => new Date('2026-11-27T11:00:00Z'),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  assert.ok(built.ok);
  return { win, telemetry, stage: built.value as AuditStage };
}


describe('audit governor', () => {
  it('verify: reports drift with gauges and one log record per drift, changes nothing', async () => {
    const { win, telemetry, stage } = setup({ yaml: '  mode: verify\n' });
    const report = await stage.governor.check('interval');
    assert.deepEqual(report.rows.map((r) => r.state), ['drift', 'drift', 'drift', 'drift']);
    assert.deepEqual(win.changes(), []);
    assert.equal(report.mode, 'verify');

    const points = await telemetry.points();
    const drift = points.filter((p) => p.name === 'wfp.audit.subcategory.drift');
    assert.equal(drift.length, 4);
    assert.ok(drift.every((p) => p.value === 1));
    const fpc = points.filter((p) => p.name === 'wfp.audit.subcategory.setting' && p.attributes['windows.audit.subcategory.guid'] === FPC.toLowerCase());
    assert.deepEqual(
      fpc.map((p) => [p.attributes['wfp.audit.setting.source'], p.value]).sort(),
      [['current', 0], ['desired', 2]],
    );
    assert.equal(points.some((p) => p.name === 'wfp.audit.corrections'), false);

    const drifts = telemetry.logs().filter((l) => l.eventName === 'wfp.audit.drift');
    assert.equal(drifts.length, 4);
    assert.equal(drifts[0]!.severityText, 'WARN');
    assert.match(String(drifts[0]!.body), /Filtering Platform Connection \{0CCE9226-.*\} is 'none', the configuration wants 'failure'/);

    const small = telemetry.logs().filter((l) => l.eventName === 'wfp.audit.security_log');
    assert.deepEqual(small.map((l) => l.body), ["The Security log's maximum size is 20971520 bytes, below the configured 268435456 bytes."]);

    await stage.governor.check('interval');
    assert.equal(telemetry.logs().filter((l) => l.eventName === 'wfp.audit.drift').length, 4, 'the same drift is logged once');
    assert.equal(telemetry.logs().filter((l) => l.eventName === 'wfp.audit.security_log').length, 1);
  });

  it('enforce: backs up first, sets each drifted subcategory by GUID, counts and logs each change, raises the log size', async () => {
    const { win, telemetry, stage } = setup({ win: createFakeWindows({ initial: { [APC]: 3, [FPC]: 3 } }) });
    const report = await stage.governor.check('start');
    assert.equal(report.refused, null);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(report.changes, [
      'C:\\Windows\\System32\\auditpol.exe /backup /file:/state/audit-policy-backup.csv',
      `C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPC} /success:disable /failure:enable`,
      `C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPD} /success:disable /failure:enable`,
      `C:\\Windows\\System32\\auditpol.exe /set /subcategory:${FPP} /success:enable /failure:disable`,
      'C:\\Windows\\System32\\wevtutil.exe sl Security /ms:268435456',
    ]);
    assert.deepEqual(report.after?.map((r) => r.state), ['in-sync', 'in-sync', 'in-sync', 'in-sync']);
    assert.equal(win.auditpol.policy.get(FPC), 2);
    assert.equal(win.auditpol.policy.get(APC), 3, 'Audit Policy Change already had success; failure is not managed, so it stays');
    assert.equal(win.wevtutil.maxSizeBytes, 268435456);
    assert.match(win.fs.text('/state/audit-policy-backup.csv') ?? '', /Filtering Platform Connection,\{0cce9226-69ae-11d9-bed3-505054503030\},Success and Failure,,3/);
    assert.equal(win.fs.text('/state/security-log-backup.json'), '{"version":1,"maxSizeBytes":20971520}\n');

    const points = await telemetry.points();
    const corrections = points.filter((p) => p.name === 'wfp.audit.corrections');
    assert.deepEqual(corrections.map((p) => p.attributes['windows.audit.subcategory.name']).sort(), [
      'Filtering Platform Connection',
      'Filtering Platform Packet Drop',
      'Filtering Platform Policy Change',
    ]);
    assert.ok(corrections.every((p) => p.value === 1));
    assert.ok(points.filter((p) => p.name === 'wfp.audit.subcategory.drift').every((p) => p.value === 0));
    const changes = telemetry.logs().filter((l) => l.eventName === 'wfp.audit.change');
    assert.equal(changes.length, 4);
    assert.equal(changes[0]!.attributes['wfp.audit.setting.before'], 'success and failure');
    assert.equal(changes[0]!.attributes['wfp.audit.setting.after'], 'failure');

    const again = await stage.governor.check('interval');
    assert.deepEqual(again.changes, [], 'in sync: nothing to do, and the backup is not taken again');
  });

  it('reports a Security log that would stop recording when full, and never changes its retention', async () => {
    const win = createFakeWindows({ securityLog: { maxSizeBytes: 1073741824, retention: true, autoBackup: false } });
    const { telemetry, stage } = setup({ win });
    const report = await stage.governor.check('start');
    assert.deepEqual(report.securityLog, { maxSizeBytes: 1073741824, retention: true, autoBackup: false });
    const warnings = telemetry.logs().filter((l) => l.eventName === 'wfp.audit.security_log');
    assert.equal(warnings.length, 1);
    assert.match(String(warnings[0]!.body), /"do not overwrite events" without archiving/);
    assert.equal(win.calls.filter((c) => c.tool === 'wevtutil' && c.args[0] === 'sl').length, 0, 'big enough, retention only reported');
  });

  it('leaves a Security log size that Group Policy sets, and says so once', async () => {
    const gpo = createFixedGpoDetector({ ...NOT_GPO_MANAGED, logSizePolicyKb: 20480 });
    const { win, telemetry, stage } = setup({ gpo, win: createFakeWindows({ initial: { [FPC]: 2, [FPD]: 2, [FPP]: 1, [APC]: 1 } }) });
    await stage.governor.check('start');
    await stage.governor.check('interval');
    assert.deepEqual(win.changes(), []);
    assert.deepEqual(telemetry.logs().filter((l) => l.eventName === 'wfp.audit.security_log').map((l) => l.body), [
      "The Security log's maximum size is set by Group Policy (20480 KiB); the agent leaves it.",
    ]);
  });

  it('enforce on a GPO-managed machine changes nothing and says so once', async () => {
    const gpo = createFixedGpoDetector({ managed: true, sources: ['C:\\Windows\\security\\audit\\audit.csv (21 subcategories)'], guids: new Set([APC]), notes: [] });
    const { win, telemetry, stage } = setup({ gpo });
    const report = await stage.governor.check('start');
    assert.match(report.refused ?? '', /set by Group Policy \(C:\\Windows\\security\\audit\\audit\.csv \(21 subcategories\)\); the agent changes nothing/);
    assert.deepEqual(win.changes(), []);
    assert.equal(win.fs.files.has('/state/audit-policy-backup.csv'), false);
    await stage.governor.check('interval');
    assert.equal(telemetry.logs().filter((l) => l.eventName === 'wfp.audit.gpo_managed').length, 1);
  });

  it('enforce when GPO management cannot be told changes nothing either', async () => {
    const gpo = createFixedGpoDetector({ managed: null, sources: [], guids: new Set(), notes: ['Could not query HKLM\\...: timed out.'] });
    const { win, stage } = setup({ gpo });
    const report = await stage.governor.check('start');
    assert.match(report.refused ?? '', /^Could not tell whether Group Policy sets/);
    assert.deepEqual(win.changes(), []);
  });

  it('a 4719 for a managed subcategory re-checks at once; other subcategories and mode off do not', async () => {
    const { win, telemetry, stage } = setup({ win: createFakeWindows({ initial: { [FPC]: 2, [FPD]: 2, [FPP]: 1, [APC]: 1 } }) });
    await win.auditpol.run(['/set', `/subcategory:${FPC}`, '/failure:disable']);
    const fixed = await stage.governor.onAuditPolicyChangeEvent(auditPolicyChange(FPC.toLowerCase()));
    assert.equal(fixed?.reason, 'event-4719');
    assert.equal(win.auditpol.policy.get(FPC), 2);
    assert.equal((await telemetry.points()).find((p) => p.name === 'wfp.audit.corrections')?.value, 1);
    assert.equal(stage.governor.onAuditPolicyChangeEvent(auditPolicyChange('{0CCE9215-69AE-11D9-BED3-505054503030}')), null);
    assert.equal(stage.governor.onAuditPolicyChangeEvent(auditPolicyChange('not a guid')), null);

    const off = setup({ yaml: '  mode: off\n' });
    assert.equal(off.stage.governor.onAuditPolicyChangeEvent(auditPolicyChange(FPC)), null);
    assert.equal(await off.stage.governor.start(), null);
    assert.deepEqual(off.win.calls, []);
  });

  it('checks on start and then on every check_interval tick; shutdown stops the timer', async () => {
    const ticks: { fn: () => void; ms: number }[] = [];
    let cleared = 0;
    const timers = { setInterval: (fn: () => void, ms: number) => ticks.push({ fn, ms }), clearInterval: () => void cleared++ };
    const { win, stage } = setup({ yaml: '  mode: verify\n  check_interval: 90s\n', timers });
    const first = await stage.governor.start();
    assert.equal(first?.reason, 'start');
    assert.equal(ticks.length, 1);
    assert.equal(ticks[0]!.ms, 90_000);
    const reads = () => win.calls.filter((c) => c.args[0] === '/backup').length;
    assert.equal(reads(), 1);
    ticks[0]!.fn();
    await stage.governor.shutdown();
    assert.equal(reads(), 2);
    assert.equal(cleared, 1);
    await stage.governor.shutdown();
  });

  it('never runs two checks at once: requests during a check are queued once', async () => {
    const { win, stage } = setup({ yaml: '  mode: verify\n' });
    const all = await Promise.all([stage.governor.check('interval'), stage.governor.check('interval'), stage.governor.check('event-4719')]);
    assert.equal(all[1], all[2], 'the second and third requests share one queued check');
    assert.equal(win.calls.filter((c) => c.args[0] === '/backup').length, 2);
  });

  it('a hanging auditpol is stopped at command_timeout and reported, not awaited forever', async () => {
    const hanging = createHangingRunner();
    const { telemetry, stage } = setup({ runner: hanging });
    const started = Date.now();
    const report = await stage.governor.check('start');
    assert.ok(Date.now() - started < 5_000);
    assert.equal(hanging.started, 1);
    assert.deepEqual(report.rows, []);
    assert.match(report.errors[0] ?? '', /^Reading the audit policy failed: .*auditpol\.exe \/backup .* did not finish within 200 ms and was stopped$/);
    assert.equal(telemetry.logs().find((l) => l.eventName === 'wfp.audit.error')?.severityText, 'ERROR');
  });

  it('a state dir that cannot be written ends the check with a report, not a rejection', async () => {
    const win = createFakeWindows();
    win.fs.mkdirp = () => Promise.reject(new Error("EACCES: permission denied, mkdir '/state'"));
    const { telemetry, stage } = setup({ win });
    const report = await stage.governor.check('interval');
    assert.deepEqual(report.errors, ["The audit check failed: EACCES: permission denied, mkdir '/state'"]);
    assert.equal(telemetry.logs().at(-1)?.eventName, 'wfp.audit.error');
  });

  it('a failing auditpol is reported with its exit code, message and a hint', async () => {
    const { stage } = setup({ runner: createFailingRunner() });
    const report = await stage.governor.check('start');
    assert.match(
      report.errors[0] ?? '',
      /exited with 1314: Error 0x00000522 occurred: A required privilege is not held by the client\. \(run the agent as an administrator or LocalSystem\)$/,
    );
  });

  it('an unelevated /set fails per subcategory without stopping the others', async () => {
    const win = createFakeWindows();
    const original = win.runner.run.bind(win.runner);
    let sets = 0;
    const runner: CommandRunner = {
      run: (file, args, o) => (args[0] === '/set' && sets++ === 0 ? Promise.resolve({ code: 87, stdout: '', stderr: 'Error 0x00000057 occurred:\r\nThe parameter is incorrect.\r\n', timedOut: false }) : original(file, args, o)),
    };
    const { stage } = setup({ win, runner, yaml: '  security_log:\n    min_size_mb: 0\n' });
    const report = await stage.governor.check('start');
    assert.equal(report.errors.filter((e) => e.startsWith('Setting Filtering Platform Connection failed')).length, 1);
    assert.equal(report.errors.filter((e) => /still differs after it was set/.test(e)).length, 1);
    assert.equal(win.auditpol.policy.get(FPD), 2);
  });
});
