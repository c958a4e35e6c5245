import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AUDIT_CSE_HISTORY_KEY, EVENTLOG_POLICY_KEY, LSA_KEY, createWindowsGpoDetector, windowsToolPaths } from '../../../agent/audit/index.ts';
import type { CommandRunner } from '../../../agent/audit/index.ts';
import { createFakeWindows, createHangingRunner } from '../../helpers/fake-auditpol-windows.ts';
import type { FakeWindowsOptions } from '../../helpers/fake-auditpol-windows.ts';

const GPO_CSV = readFileSync(new URL('../../fixtures/auditpol/nsacyber-audit.csv', import.meta.url), 'utf8');
const AUDIT = 'Machine\\Microsoft\\Windows NT\\Audit\\audit.csv';

function detector(options: FakeWindowsOptions, runner?: CommandRunner) {
  const win = createFakeWindows(options);
  return createWindowsGpoDetector({
    runner: runner ?? win.runner,
    fs: win.fs,
    tools: windowsToolPaths('C:\\Windows'),
    systemRoot: 'C:\\Windows',
    timeoutMs: 100,
  });
}

describe('createWindowsGpoDetector', () => {
  it('a machine without GPO audit files or history is not GPO-managed', async () => {
    const state = await detector({}).detect();
    assert.equal(state.managed, false);
    assert.deepEqual(state.sources, []);
  });

  it('the local GPO audit.csv makes it managed, with the subcategories it sets', async () => {
    const state = await detector({ files: { [`C:\\Windows\\System32\\GroupPolicy\\${AUDIT}`]: GPO_CSV } }).detect();
    assert.equal(state.managed, true);
    assert.deepEqual(state.sources, [`C:\\Windows\\System32\\GroupPolicy\\${AUDIT} (21 subcategories)`]);
    assert.equal(state.guids.size, 21);
    assert.ok(state.guids.has('{0CCE922F-69AE-11D9-BED3-505054503030}'));
  });

  it('a domain GPO cached under GroupPolicy\\DataStore (SYSVOL copy) makes it managed', async () => {
    const cached = `C:\\Windows\\System32\\GroupPolicy\\DataStore\\0\\sysvol\\contoso.local\\Policies\\{A2A38432-E322-437F-9975-B7CC7F16F4AA}\\${AUDIT}`;
    const state = await detector({ files: { [cached]: GPO_CSV } }).detect();
    assert.equal(state.managed, true);
    assert.match(state.sources[0]!, /DataStore\\0\\sysvol\\contoso\.local\\Policies\\\{A2A38432-.*\}\\Machine\\.*audit\.csv \(21 subcategories\)$/);
  });

  it('an audit.csv with only a header (nothing configured) does not count', async () => {
    const state = await detector({ files: { 'C:\\Windows\\security\\audit\\audit.csv': GPO_CSV.split('\n')[0]! } }).detect();
    assert.equal(state.managed, false);
  });

  it('GPOs with audit settings in the Group Policy history of the audit CSE make it managed', async () => {
    const state = await detector({ registry: { [AUDIT_CSE_HISTORY_KEY]: { subkeys: ['0', '1'] } } }).detect();
    assert.equal(state.managed, true);
    assert.deepEqual(state.sources, [`${AUDIT_CSE_HISTORY_KEY} (2 GPOs with audit settings applied)`]);
  });

  it('notes SCENoApplyLegacyAuditPolicy = 0 without deciding on it', async () => {
    const state = await detector({ registry: { [LSA_KEY]: { values: { SCENoApplyLegacyAuditPolicy: '0x0' } } } }).detect();
    assert.equal(state.managed, false);
    assert.match(state.notes[0] ?? '', /^SCENoApplyLegacyAuditPolicy is 0/);
    const on = await detector({ registry: { [LSA_KEY]: { values: { SCENoApplyLegacyAuditPolicy: '0x1' } } } }).detect();
    assert.deepEqual(on.notes, []);
  });

  it('reads a Security log size set by policy (KiB)', async () => {
    const state = await detector({ registry: { [EVENTLOG_POLICY_KEY]: { values: { MaxSize: '0x100000' } } } }).detect();
    assert.equal(state.managed, false);
    assert.equal(state.logSizePolicyKb, 1048576);
    assert.equal((await detector({}).detect()).logSizePolicyKb, null);
  });

  it('when reg.exe hangs, the answer is "cannot tell" (null), not "not managed"', async () => {
    const state = await detector({}, createHangingRunner()).detect();
    assert.equal(state.managed, null);
    assert.match(state.notes[0] ?? '', /timed out/);
  });
});
