// Parse the advanced-audit CSV that `auditpol /backup` writes and GPOs carry as audit.csv (MS-GPAC §2.2):
// subcategory rows (state in the locale-independent `Setting Value`), `Option:` rows and global SACL rows.
// Lenient on layout (BOM, UTF-16, CRLF/LF, quoted fields, blank lines), strict on the fields that decide state.
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { AuditSetting } from './audit-setting.ts';
import { settingFromValue } from './audit-setting.ts';
import { canonicalGuid, isStrictGuid, resolveSubcategory, SUBCATEGORIES, subcategoryByGuid } from '../shared/index.ts';

export interface SubcategoryState {
  /** Canonical upper-case GUID with braces. */
  readonly guid: string;
  /** The name as the file spells it (localized on non-English machines; for display only). */
  readonly name: string;
  readonly settingValue: number;
  readonly setting: AuditSetting;
  readonly line: number;
}

export interface AuditOption {
  readonly name: string;
  readonly value: number;
}

export interface GlobalSacl {
  readonly type: string;
  readonly sddl: string;
}

export interface AuditPolicySnapshot {
  /** System policy by canonical GUID. */
  readonly subcategories: ReadonlyMap<string, SubcategoryState>;
  /** Rows whose Policy Target is a user or group SID (per-user policy): counted, not interpreted. */
  readonly perUserRows: number;
  readonly options: readonly AuditOption[];
  readonly globalSacls: readonly GlobalSacl[];
  /** Rows that were skipped, one short line each (`line 7: …`). */
  readonly warnings: readonly string[];
  /** Rows Windows does not apply as system policy, with why (a subset of `warnings`, kept for the status table). */
  readonly ignoredRows: readonly IgnoredRow[];
  /** Rows whose English name is another subcategory than their GUID: Windows applies the GUID. */
  readonly nameMismatches: readonly NameMismatch[];
}

export interface IgnoredRow {
  readonly line: number;
  readonly name: string;
  /** Canonical GUID when the row had a valid one, else ''. */
  readonly guid: string;
  readonly reason: string;
}

export interface NameMismatch {
  readonly line: number;
  /** The name as the file spells it. */
  readonly name: string;
  /** The subcategory that name means. */
  readonly nameMeans: string;
  readonly nameGuid: string;
  /** The row's GUID (what Windows applies) and the subcategory it is. */
  readonly guid: string;
  readonly guidName: string;
}

/** Audit category names (`Object Access`, `Policy Change`, ...): scripts put them where the Policy Target goes. */
const CATEGORY_NAMES = new Set(SUBCATEGORIES.map((s) => s.category.toLowerCase()));

export type AuditCsvError = 'empty' | 'not-backup-format' | 'bad-header';

const HEADER = [
  'machine name',
  'policy target',
  'subcategory',
  'subcategory guid',
  'inclusion setting',
  'exclusion setting',
  'setting value',
];

/** Bytes → text: UTF-16LE/BE with BOM (as some Windows tools write), else UTF-8 (BOM dropped). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** One CSV record per line: commas, `"quoted, fields"` with `""` escapes. Returns [line number, fields]. */
export function splitCsv(text: string): [number, string[]][] {
  const records: [number, string[]][] = [];
  const body = text.replace(/^\uFEFF/, '');
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') continue;
    else if (c === '\n' || c === '\r') {
      fields.push(field);
      records.push([start, fields]);
      fields = [];
      field = '';
      start = ++line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push([start, fields]);
  }
  return records.filter(([, f]) => !(f.length === 1 && f[0]!.trim() === ''));
}

export function parseAuditCsv(text: string): Result<AuditPolicySnapshot, AuditCsvError> {
  const records = splitCsv(text);
  const first = records[0];
  if (first === undefined) return err('empty', 'the file has no rows (expected an auditpol /backup CSV)');
  const header = first[1].map((h) => h.trim().toLowerCase());
  if (header.length === 6 && header[5] === 'exclusion setting') {
    return err(
      'not-backup-format',
      'this is `auditpol /get /r` output (no Setting Value column; its text is localized): use `auditpol /backup /file:FILE.csv`',
    );
  }
  if (header.length < 7 || HEADER.some((h, i) => header[i] !== h)) {
    return err(
      'bad-header',
      `line ${first[0]}: expected the header 'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value', found '${truncate(first[1].join(','))}'`,
    );
  }

  const subcategories = new Map<string, SubcategoryState>();
  const options: AuditOption[] = [];
  const globalSacls: GlobalSacl[] = [];
  const warnings: string[] = [];
  const ignoredRows: IgnoredRow[] = [];
  const nameMismatches: NameMismatch[] = [];
  const ignore = (line: number, name: string, guid: string, reason: string) => {
    const key = isStrictGuid(guid) ? canonicalGuid(guid) : '';
    ignoredRows.push({ line, name, guid: key, reason });
    warnings.push(`line ${line}: '${name}' ignored: ${reason}`);
  };
  let perUserRows = 0;
  for (const [line, f] of records.slice(1)) {
    const target = (f[1] ?? '').trim();
    const name = (f[2] ?? '').trim();
    if (target === '' && name.startsWith('Option:')) {
      const value = Number((f[6] ?? '').trim());
      if (Number.isInteger(value)) options.push({ name: name.slice('Option:'.length), value });
      else warnings.push(`line ${line}: option ${name} has no numeric value`);
      continue;
    }
    if (target === '' && /GlobalSacl$/i.test(name)) {
      globalSacls.push({ type: name, sddl: f.slice(6).join(',').trim() });
      continue;
    }
    if (target === '') {
      ignore(line, name, (f[3] ?? '').trim(), "no Policy Target (Windows applies only 'System' rows, and per-user rows naming a user or group)");
      continue;
    }
    if (target.toLowerCase() !== 'system') {
      // A category name is no user or group: the row is a mistake, and Windows applies it to nobody.
      if (CATEGORY_NAMES.has(target.toLowerCase().replace(/^audit /, ''))) {
        ignore(line, name, (f[3] ?? '').trim(), `Policy Target is the category '${target}', not 'System' (or a user or group)`);
      } else perUserRows++;
      continue;
    }
    const guid = (f[3] ?? '').trim();
    if (!isStrictGuid(guid)) {
      ignore(line, name, guid, 'no valid Subcategory GUID (Windows applies a row by its GUID)');
      continue;
    }
    const raw = (f[6] ?? '').trim();
    const settingValue = /^\d+$/.test(raw) ? Number(raw) : NaN;
    const setting = settingFromValue(settingValue);
    if (setting === null) {
      ignore(line, name, guid, `Setting Value '${raw}' is not 0-4`);
      continue;
    }
    const key = canonicalGuid(guid);
    const mismatch = nameMismatch(line, name, key);
    if (mismatch !== null) nameMismatches.push(mismatch);
    if (subcategories.has(key)) warnings.push(`line ${line}: ${key} appears again; the last row wins`);
    subcategories.set(key, { guid: key, name, settingValue, setting, line });
  }
  return ok({ subcategories, perUserRows, options, globalSacls, warnings, ignoredRows, nameMismatches });
}

/** The row's English name resolves to another subcategory than its GUID (localized names resolve to nothing). */
function nameMismatch(line: number, name: string, guid: string): NameMismatch | null {
  const byName = resolveSubcategory(name);
  if (!byName.ok || byName.value.guid === guid) return null;
  return { line, name, nameMeans: byName.value.name, nameGuid: byName.value.guid, guid, guidName: subcategoryByGuid(guid)?.name ?? 'no subcategory Windows knows' };
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
