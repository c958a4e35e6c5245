import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  backupPolicyCommand,
  formatCommand,
  restorePolicyCommand,
  setSecurityLogSizeCommand,
  setSubcategoryCommand,
  unsafePath,
  windowsToolPaths,
} from '../../../agent/audit/index.ts';

const tools = windowsToolPaths('C:\\Windows');

describe('windows commands', () => {
  it('runs the tools by full System32 path', () => {
    assert.deepEqual(tools, {
      auditpol: 'C:\\Windows\\System32\\auditpol.exe',
      wevtutil: 'C:\\Windows\\System32\\wevtutil.exe',
      reg: 'C:\\Windows\\System32\\reg.exe',
    });
  });

  it('sets a subcategory by upper-case GUID with both switches', () => {
    const c = setSubcategoryCommand(tools, '{0cce9226-69ae-11d9-bed3-505054503030}', { success: false, failure: true });
    assert.ok(c.ok);
    assert.deepEqual(c.value.args, ['/set', '/subcategory:{0CCE9226-69AE-11D9-BED3-505054503030}', '/success:disable', '/failure:enable']);
    assert.equal(
      formatCommand(c.value),
      'C:\\Windows\\System32\\auditpol.exe /set /subcategory:{0CCE9226-69AE-11D9-BED3-505054503030} /success:disable /failure:enable',
    );
  });

  it('refuses a GUID that is not strictly a GUID (injection attempts included)', () => {
    for (const guid of ['Filtering Platform Connection', '{0CCE9226-69AE-11D9-BED3-505054503030} /failure:disable', '{0CCE9226-69AE-11D9-BED3-505054503030}&whoami']) {
      const c = setSubcategoryCommand(tools, guid, { success: true, failure: true });
      assert.ok(!c.ok && c.reason === 'bad-guid', guid);
      assert.match(c.detail, /^refused: /);
    }
  });

  it('backs up and restores with /file: and refuses unsafe paths', () => {
    const b = backupPolicyCommand(tools, 'C:\\ProgramData\\wfp-block-agent\\audit-policy-backup.csv');
    assert.ok(b.ok);
    assert.deepEqual(b.value.args, ['/backup', '/file:C:\\ProgramData\\wfp-block-agent\\audit-policy-backup.csv']);
    const r = restorePolicyCommand(tools, 'C:\\Program Data\\x.csv');
    assert.ok(r.ok);
    assert.equal(formatCommand(r.value), 'C:\\Windows\\System32\\auditpol.exe /restore "/file:C:\\Program Data\\x.csv"');
    for (const bad of ['x.csv', 'C:\\a.csv" & del C:\\*', 'C:\\a.csv\r\n/clear', 'C:\\a|b.csv', '\\\\server\\share\\a.csv', 'C:\\%TEMP%\\a.csv']) {
      assert.notEqual(unsafePath(bad), null, bad);
      assert.equal(backupPolicyCommand(tools, bad).ok, false, bad);
    }
  });

  it('sets the Security log size in bytes, within 1 MiB .. 2 TiB', () => {
    const s = setSecurityLogSizeCommand(tools, 268435456);
    assert.ok(s.ok);
    assert.deepEqual(s.value.args, ['sl', 'Security', '/ms:268435456']);
    for (const bad of [0, 1000, 1.5e6 + 0.5, Number.MAX_SAFE_INTEGER]) assert.equal(setSecurityLogSizeCommand(tools, bad).ok, false);
  });
});
