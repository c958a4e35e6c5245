import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SUBCATEGORIES, isStrictGuid, resolveSubcategory, subcategoryByGuid } from '../../../agent/audit/index.ts';

describe('subcategory table', () => {
  it('has unique, strict GUIDs and unique names', () => {
    assert.equal(new Set(SUBCATEGORIES.map((s) => s.guid)).size, SUBCATEGORIES.length);
    assert.equal(new Set(SUBCATEGORIES.map((s) => s.name.toLowerCase())).size, SUBCATEGORIES.length);
    for (const s of SUBCATEGORIES) assert.ok(isStrictGuid(s.guid), s.guid);
  });

  it('covers every subcategory WFP-REFERENCE.md names, with its GUID', () => {
    const expected: Record<string, string> = {
      'Filtering Platform Connection': '{0CCE9226-69AE-11D9-BED3-505054503030}',
      'Filtering Platform Packet Drop': '{0CCE9225-69AE-11D9-BED3-505054503030}',
      'Filtering Platform Policy Change': '{0CCE9233-69AE-11D9-BED3-505054503030}',
      'Audit Policy Change': '{0CCE922F-69AE-11D9-BED3-505054503030}',
      'Authentication Policy Change': '{0CCE9230-69AE-11D9-BED3-505054503030}',
      'Authorization Policy Change': '{0CCE9231-69AE-11D9-BED3-505054503030}',
      'MPSSVC Rule-Level Policy Change': '{0CCE9232-69AE-11D9-BED3-505054503030}',
      'Other Policy Change Events': '{0CCE9234-69AE-11D9-BED3-505054503030}',
    };
    for (const [name, guid] of Object.entries(expected)) {
      const r = resolveSubcategory(name);
      assert.ok(r.ok && r.value.guid === guid, name);
    }
  });
});

describe('resolveSubcategory', () => {
  it('accepts names in any case and spacing, with or without the GPO "Audit " prefix', () => {
    for (const key of ['filtering platform connection', '  Filtering   Platform Connection ', 'Audit Filtering Platform Connection']) {
      const r = resolveSubcategory(key);
      assert.ok(r.ok && r.value.name === 'Filtering Platform Connection', key);
    }
    const apc = resolveSubcategory('Audit Audit Policy Change');
    assert.ok(apc.ok && apc.value.guid === '{0CCE922F-69AE-11D9-BED3-505054503030}');
    const claims = resolveSubcategory('Audit User/Device Claims');
    assert.ok(claims.ok && claims.value.name === 'User / Device Claims');
  });

  it('accepts any strict GUID, known (named) or not (named by its GUID)', () => {
    const known = resolveSubcategory('{0cce9226-69ae-11d9-bed3-505054503030}');
    assert.ok(known.ok && known.value.name === 'Filtering Platform Connection');
    const unknown = resolveSubcategory('{12345678-9abc-def0-1234-56789abcdef0}');
    assert.ok(unknown.ok && unknown.value.name === '{12345678-9ABC-DEF0-1234-56789ABCDEF0}' && unknown.value.category === '');
    assert.equal(subcategoryByGuid('{0cce9225-69ae-11d9-bed3-505054503030}')?.name, 'Filtering Platform Packet Drop');
  });

  it('rejects malformed GUIDs and injection attempts with a clear reason', () => {
    for (const key of [
      '{0CCE9226-69AE-11D9-BED3-50505450303}',
      '0CCE9226-69AE-11D9-BED3-505054503030',
      '{0CCE9226-69AE-11D9-BED3-505054503030} & calc.exe',
      '{0CCE9226-69AE-11D9-BED3-505054503030}" /failure:disable',
      '{0CCE9226-69AE-11D9-BED3-505054503030}\n/clear',
    ]) {
      const r = resolveSubcategory(key);
      assert.ok(!r.ok && r.reason === 'bad-guid', key);
      assert.match(r.detail, /is not a GUID of the form/);
    }
  });

  it('rejects unknown names, pointing to the English name or the GUID', () => {
    const r = resolveSubcategory('Filterplattformverbindung');
    assert.ok(!r.ok && r.reason === 'unknown-subcategory');
    assert.match(r.detail, /English name .* or its \{GUID\}/);
  });
});
