import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { decodeText, parseAuditCsv, resolveSubcategory, splitCsv } from '../../../agent/audit/index.ts';
import type { AuditPolicySnapshot } from '../../../agent/audit/index.ts';
import { needs } from '../../helpers/test-dependency.ts';

const NSA = new URL('../../fixtures/auditpol/nsacyber-audit.csv', import.meta.url);
// No licence: read from the shared sample folder at test time only, never copied into the repo.
const RIT = new URL('../../../../shared/samples/auditpol/RIT-CyberForce_Windows-Scripts/auditpol.csv', import.meta.url);
const RIT_SKIP = needs('../shared/samples/auditpol RIT-CyberForce auditpol.csv', existsSync(RIT) ? null : 'needs ../shared/samples/auditpol/RIT-CyberForce_Windows-Scripts/auditpol.csv (not in a fresh clone)');

function parse(text: string): AuditPolicySnapshot {
  const result = parseAuditCsv(text);
  assert.ok(result.ok, result.ok ? '' : result.detail);
  return result.value;
}

const FPC = '{0CCE9226-69AE-11D9-BED3-505054503030}';
const FPD = '{0CCE9225-69AE-11D9-BED3-505054503030}';
const FPP = '{0CCE9233-69AE-11D9-BED3-505054503030}';
const APC = '{0CCE922F-69AE-11D9-BED3-505054503030}';

describe('parseAuditCsv', () => {
  describe('nsacyber GPO audit.csv (CC0 fixture)', () => {
    const text = readFileSync(NSA, 'utf8');
    const snapshot = parse(text);

    it('reads all 21 subcategory rows with canonical upper-case GUIDs', () => {
      assert.equal(snapshot.subcategories.size, 21);
      for (const guid of snapshot.subcategories.keys()) assert.match(guid, /^\{[0-9A-F-]+\}$/);
      assert.deepEqual(snapshot.warnings, []);
      assert.equal(snapshot.options.length, 0);
    });

    it('takes state from Setting Value: Audit Policy Change 3, Process Creation 1, Special Logon 1', () => {
      assert.deepEqual(snapshot.subcategories.get(APC)?.setting, { success: true, failure: true });
      assert.equal(snapshot.subcategories.get('{0CCE922B-69AE-11D9-BED3-505054503030}')?.settingValue, 1);
      assert.deepEqual(snapshot.subcategories.get('{0CCE921B-69AE-11D9-BED3-505054503030}')?.setting, { success: true, failure: false });
      assert.equal(snapshot.subcategories.get(FPC), undefined, 'this GPO does not configure Filtering Platform Connection');
    });

    it('gives the same result for LF, CRLF, a UTF-8 BOM and UTF-16LE', () => {
      const lf = text.replace(/\r\n/g, '\n');
      const crlf = lf.replace(/\n/g, '\r\n');
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')]);
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf, 'utf8')]);
      for (const variant of [lf, crlf, decodeText(utf16), decodeText(bom), `\uFEFF${crlf}`]) {
        assert.deepEqual([...parse(variant).subcategories.entries()].map(([g, s]) => [g, s.settingValue]),
          [...snapshot.subcategories.entries()].map(([g, s]) => [g, s.settingValue]));
      }
    });

    it('every GUID in the file is in the friendly-name table under the file\'s name', () => {
      for (const row of snapshot.subcategories.values()) {
        const resolved = resolveSubcategory(row.name);
        assert.ok(resolved.ok, row.name);
        assert.equal(resolved.value.guid, row.guid, row.name);
      }
    });
  });

  describe('RIT-CyberForce auditpol.csv (read from ../shared only)', { skip: RIT_SKIP }, () => {
    it('reads 59 subcategories, the Filtering Platform rows, 4 options and 2 global SACLs', () => {
      const snapshot = parse(readFileSync(RIT, 'utf8'));
      assert.equal(snapshot.subcategories.size, 59);
      assert.equal(snapshot.subcategories.get(FPC)?.settingValue, 3);
      assert.equal(snapshot.subcategories.get(FPD)?.settingValue, 1);
      assert.deepEqual(snapshot.subcategories.get(FPP)?.setting, { success: true, failure: false });
      assert.deepEqual(snapshot.options, [
        { name: 'CrashOnAuditFail', value: 0 },
        { name: 'FullPrivilegeAuditing', value: 1 },
        { name: 'AuditBaseObjects', value: 0 },
        { name: 'AuditBaseDirectories', value: 0 },
      ]);
      assert.deepEqual(snapshot.globalSacls, [
        { type: 'FileGlobalSacl', sddl: 'S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)' },
        { type: 'RegistryGlobalSacl', sddl: 'S:(AU;FA;KA;;;WD)' },
      ]);
      assert.deepEqual(snapshot.warnings, []);
      for (const row of snapshot.subcategories.values()) {
        const resolved = resolveSubcategory(row.name);
        assert.ok(resolved.ok && resolved.value.guid === row.guid, `${row.name} ${row.guid}`);
      }
    });
  });

  const HEADER = 'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value';

  it('reads quoted fields with commas and doubled quotes, and a localized text column it ignores', () => {
    const snapshot = parse(
      `${HEADER}\r\n"WS01, Büro",System,"Filterplattformverbindung ""FP""",{0cce9226-69ae-11d9-bed3-505054503030},Fehler,,2\r\n`,
    );
    const row = snapshot.subcategories.get(FPC);
    assert.equal(row?.name, 'Filterplattformverbindung "FP"');
    assert.deepEqual(row?.setting, { success: false, failure: true });
  });

  it('counts per-user rows, keeps going past bad rows with one warning each', () => {
    const snapshot = parse(
      [
        HEADER,
        ',S-1-5-21-1-2-3-1001,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1',
        ',System,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,9',
        ',System,Audit Logoff,0cce9216-69ae-11d9-bed3-505054503030,Success,,1',
        ',System,Audit Registry,{0cce921e-69ae-11d9-bed3-505054503030},None,,4',
        '',
      ].join('\n'),
    );
    assert.equal(snapshot.perUserRows, 1);
    assert.equal(snapshot.warnings.length, 2);
    assert.match(snapshot.warnings[0]!, /^line 3: 'Audit Logon' ignored: Setting Value '9' is not 0-4/);
    assert.match(snapshot.warnings[1]!, /^line 4: 'Audit Logoff' ignored: no valid Subcategory GUID/);
    assert.deepEqual(snapshot.subcategories.get('{0CCE921E-69AE-11D9-BED3-505054503030}')?.setting, { success: false, failure: false });
  });

  it('keeps rows with a category as Policy Target out of the policy (not per-user), and flags names that are another GUID', () => {
    const snapshot = parse(
      [
        HEADER,
        ',System,Audit Policy Change,{0CCE9233-69AE-11D9-BED3-505054503030},Success and Failure,,3',
        ',Object Access,Audit Filtering Platform Connection,{0CCE9226-69AE-11D9-BED3-505054503030},Failure,,2',
        ',System,Filterplattformverbindung,{0CCE9226-69AE-11D9-BED3-505054503030},Failure,,2',
        ',S-1-5-21-1-2-3-1001,Audit Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1',
        '',
      ].join('\n'),
    );
    assert.equal(snapshot.perUserRows, 1);
    assert.deepEqual(snapshot.ignoredRows, [
      { line: 3, name: 'Audit Filtering Platform Connection', guid: '{0CCE9226-69AE-11D9-BED3-505054503030}', reason: "Policy Target is the category 'Object Access', not 'System' (or a user or group)" },
    ]);
    // A localized name (line 4) resolves to nothing, so it cannot disagree; line 2 names 0CCE922F but is 0CCE9233.
    assert.deepEqual(snapshot.nameMismatches, [
      { line: 2, name: 'Audit Policy Change', nameMeans: 'Audit Policy Change', nameGuid: '{0CCE922F-69AE-11D9-BED3-505054503030}', guid: '{0CCE9233-69AE-11D9-BED3-505054503030}', guidName: 'Filtering Platform Policy Change' },
    ]);
    assert.deepEqual([...snapshot.subcategories.keys()].sort(), ['{0CCE9226-69AE-11D9-BED3-505054503030}', '{0CCE9233-69AE-11D9-BED3-505054503030}']);
  });

  it('refuses auditpol /get /r output, whose state is only in localized text', () => {
    const result = parseAuditCsv(
      'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting\r\nWS01,System,Filterplattformverbindung,{0CCE9226-69AE-11D9-BED3-505054503030},Erfolg und Fehler,\r\n',
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'not-backup-format');
  });

  it('refuses an empty file and a wrong header with the line', () => {
    assert.equal(parseAuditCsv('\r\n').ok, false);
    const bad = parseAuditCsv('Name,Value\n');
    assert.ok(!bad.ok && bad.reason === 'bad-header' && bad.detail.startsWith('line 1: expected the header'));
  });

  it('splitCsv keeps line numbers across quoted line breaks', () => {
    assert.deepEqual(splitCsv('a,"b\nc"\nd,e\n'), [[1, ['a', 'b\nc']], [3, ['d', 'e']]]);
  });
});
