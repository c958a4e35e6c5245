// Advanced audit subcategories: English friendly names ↔ GUIDs (from MS-GPAC §2.2.1.2 and auditpol's names),
// and the one strict GUID check every GUID passes before it reaches a command line.
import type { Result } from './result.ts';
import { err, ok } from './result.ts';

export interface Subcategory {
  /** auditpol's English name (`Filtering Platform Connection`). */
  readonly name: string;
  /** Upper-case, with braces: the form every command and report uses. */
  readonly guid: string;
  readonly category: string;
}

/** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, nothing before or after. */
export const STRICT_GUID = /^\{[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\}$/;

export function isStrictGuid(text: string): boolean {
  return STRICT_GUID.test(text);
}

/** Upper-case GUID with braces; only for text that passed `isStrictGuid`. */
export function canonicalGuid(guid: string): string {
  return guid.toUpperCase();
}

const SUFFIX = '-69AE-11D9-BED3-505054503030}';
// [name, GUID prefix, category, other names seen in GPO audit.csv / docs]
const TABLE: readonly (readonly [string, string, string, ...string[]])[] = [
  ['Security State Change', '0CCE9210', 'System'],
  ['Security System Extension', '0CCE9211', 'System'],
  ['System Integrity', '0CCE9212', 'System'],
  ['IPsec Driver', '0CCE9213', 'System'],
  ['Other System Events', '0CCE9214', 'System'],
  ['Logon', '0CCE9215', 'Logon/Logoff'],
  ['Logoff', '0CCE9216', 'Logon/Logoff'],
  ['Account Lockout', '0CCE9217', 'Logon/Logoff'],
  ['IPsec Main Mode', '0CCE9218', 'Logon/Logoff'],
  ['IPsec Quick Mode', '0CCE9219', 'Logon/Logoff'],
  ['IPsec Extended Mode', '0CCE921A', 'Logon/Logoff'],
  ['Special Logon', '0CCE921B', 'Logon/Logoff'],
  ['Other Logon/Logoff Events', '0CCE921C', 'Logon/Logoff'],
  ['File System', '0CCE921D', 'Object Access'],
  ['Registry', '0CCE921E', 'Object Access'],
  ['Kernel Object', '0CCE921F', 'Object Access'],
  ['SAM', '0CCE9220', 'Object Access'],
  ['Certification Services', '0CCE9221', 'Object Access'],
  ['Application Generated', '0CCE9222', 'Object Access'],
  ['Handle Manipulation', '0CCE9223', 'Object Access'],
  ['File Share', '0CCE9224', 'Object Access'],
  ['Filtering Platform Packet Drop', '0CCE9225', 'Object Access'],
  ['Filtering Platform Connection', '0CCE9226', 'Object Access'],
  ['Other Object Access Events', '0CCE9227', 'Object Access'],
  ['Sensitive Privilege Use', '0CCE9228', 'Privilege Use'],
  ['Non Sensitive Privilege Use', '0CCE9229', 'Privilege Use'],
  ['Other Privilege Use Events', '0CCE922A', 'Privilege Use'],
  ['Process Creation', '0CCE922B', 'Detailed Tracking'],
  ['Process Termination', '0CCE922C', 'Detailed Tracking'],
  ['DPAPI Activity', '0CCE922D', 'Detailed Tracking'],
  ['RPC Events', '0CCE922E', 'Detailed Tracking'],
  ['Audit Policy Change', '0CCE922F', 'Policy Change'],
  ['Authentication Policy Change', '0CCE9230', 'Policy Change'],
  ['Authorization Policy Change', '0CCE9231', 'Policy Change'],
  ['MPSSVC Rule-Level Policy Change', '0CCE9232', 'Policy Change'],
  ['Filtering Platform Policy Change', '0CCE9233', 'Policy Change'],
  ['Other Policy Change Events', '0CCE9234', 'Policy Change'],
  ['User Account Management', '0CCE9235', 'Account Management'],
  ['Computer Account Management', '0CCE9236', 'Account Management'],
  ['Security Group Management', '0CCE9237', 'Account Management'],
  ['Distribution Group Management', '0CCE9238', 'Account Management'],
  ['Application Group Management', '0CCE9239', 'Account Management'],
  ['Other Account Management Events', '0CCE923A', 'Account Management'],
  ['Directory Service Access', '0CCE923B', 'DS Access'],
  ['Directory Service Changes', '0CCE923C', 'DS Access'],
  ['Directory Service Replication', '0CCE923D', 'DS Access'],
  ['Detailed Directory Service Replication', '0CCE923E', 'DS Access'],
  ['Credential Validation', '0CCE923F', 'Account Logon'],
  ['Kerberos Service Ticket Operations', '0CCE9240', 'Account Logon'],
  ['Other Account Logon Events', '0CCE9241', 'Account Logon'],
  ['Kerberos Authentication Service', '0CCE9242', 'Account Logon'],
  ['Network Policy Server', '0CCE9243', 'Logon/Logoff'],
  ['Detailed File Share', '0CCE9244', 'Object Access'],
  ['Removable Storage', '0CCE9245', 'Object Access'],
  ['Central Policy Staging', '0CCE9246', 'Object Access', 'Central Access Policy Staging'],
  ['User / Device Claims', '0CCE9247', 'Logon/Logoff'],
  ['Plug and Play Events', '0CCE9248', 'Detailed Tracking', 'PNP Activity'],
  ['Group Membership', '0CCE9249', 'Logon/Logoff'],
  ['Token Right Adjusted Events', '0CCE924A', 'Detailed Tracking', 'Token Right Adjusted'],
];

export const SUBCATEGORIES: readonly Subcategory[] = TABLE.map(([name, prefix, category]) =>
  Object.freeze({ name, guid: `{${prefix}${SUFFIX}`, category }),
);

// Built once: normalized name → subcategory, GUID → subcategory.
const BY_NAME = new Map<string, Subcategory>();
const BY_GUID = new Map<string, Subcategory>();
TABLE.forEach(([name, , , ...aliases], i) => {
  const sub = SUBCATEGORIES[i]!;
  BY_GUID.set(sub.guid, sub);
  for (const n of [name, ...aliases]) BY_NAME.set(normalizeName(n), sub);
});

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim();
}

/** The known subcategory for a GUID (any case), or null. */
export function subcategoryByGuid(guid: string): Subcategory | null {
  return isStrictGuid(guid) ? (BY_GUID.get(canonicalGuid(guid)) ?? null) : null;
}

/**
 * A config key → subcategory. Accepts an English friendly name (case and spacing free, with or without the
 * `Audit ` prefix that GPO files use) or any strict `{GUID}` (unknown GUIDs are named by their GUID).
 */
export function resolveSubcategory(key: string): Result<Subcategory, 'unknown-subcategory' | 'bad-guid'> {
  const text = key.trim();
  if (text.startsWith('{') || /^[0-9A-Fa-f]{8}-/.test(text)) {
    if (!isStrictGuid(text)) {
      return err('bad-guid', `'${key}' is not a GUID of the form {0CCE9226-69AE-11D9-BED3-505054503030}`);
    }
    const guid = canonicalGuid(text);
    return ok(BY_GUID.get(guid) ?? { name: guid, guid, category: '' });
  }
  const name = normalizeName(text);
  const found = BY_NAME.get(name) ?? (name.startsWith('audit ') ? BY_NAME.get(name.slice(6)) : undefined);
  if (found !== undefined) return ok(found);
  return err(
    'unknown-subcategory',
    `unknown audit subcategory '${key}'; use the English name as auditpol prints it (e.g. 'Filtering Platform Connection') or its {GUID}`,
  );
}
