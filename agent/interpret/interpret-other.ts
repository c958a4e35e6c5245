// 5031, 5441/5447, 4719 and 1102 -> their typed events.
import type { RawRecord } from '../decode/index.ts';
import type { AuditPolicyChangeEvent, FilterEvent, FirewallAppBlockEvent, LogClearedEvent } from './wfp-event.ts';
import { subcategoryByGuid } from '../shared/index.ts';
import {
  AUDIT_CATEGORY_CODES,
  AUDIT_CHANGE_CODES,
  FILTER_ACTION_CODES,
  FILTER_CHANGE_CODES,
  FILTER_TYPE_CODES,
  NO_NAMES,
  readCode,
} from './codes.ts';
import { applicationPath, int } from './interpret-network.ts';

export function interpretFirewallAppBlock(raw: RawRecord, warnings: string[]): FirewallAppBlockEvent {
  return {
    type: 'firewall-app-block',
    eventId: 5031,
    profiles: (raw.data['Profiles'] ?? '').trim(),
    application: applicationPath(raw.data['Application'], warnings),
  };
}

export function interpretFilter(raw: RawRecord, eventId: 5441 | 5447, warnings: string[]): FilterEvent {
  const d = raw.data;
  const coded = (key: string, table: ReadonlyMap<number, string>) => {
    const v = d[key];
    if (v === undefined) return null;
    const c = readCode(v, table);
    if (c.code !== null && c.name === null) warnings.push(`unknown ${key} code ${c.raw}`);
    return c;
  };
  const changeType = eventId === 5447 ? coded('ChangeType', FILTER_CHANGE_CODES) : null;
  if (eventId === 5447 && changeType === null) warnings.push('5447 without ChangeType');
  return {
    type: 'filter',
    eventId,
    changeType,
    filterId: int(d['FilterId']),
    filterKey: text(d['FilterKey']),
    filterName: text(d['FilterName']),
    filterType: coded('FilterType', FILTER_TYPE_CODES),
    providerKey: text(d['ProviderKey']),
    providerName: text(d['ProviderName']),
    layerKey: text(d['LayerKey']),
    layerName: text(d['LayerName']),
    layerId: int(d['LayerId']),
    action: coded('Action', FILTER_ACTION_CODES),
    weight: text(d['Weight']),
    calloutKey: text(d['CalloutKey']),
    calloutName: text(d['CalloutName']),
    conditions: text(d['Conditions']),
    userSid: d['UserSid']?.trim() ?? null,
    userName: d['UserName'] === undefined ? null : d['UserName'].trim().replace(/\\\\/g, '\\'),
    processId: int(d['ProcessId'] ?? d['ProcessID']),
  };
}

export function interpretAuditPolicyChange(raw: RawRecord, warnings: string[]): AuditPolicyChangeEvent {
  const d = raw.data;
  const changes = (d['AuditPolicyChanges'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => readCode(s, AUDIT_CHANGE_CODES));
  for (const c of changes) if (c.name === null || c.code === null) warnings.push(`unknown audit-policy change ${c.raw}`);
  const guid = text(d['SubcategoryGuid']).toLowerCase();
  if (!/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/.test(guid)) {
    warnings.push('4719 without a valid SubcategoryGuid');
  }
  return {
    type: 'audit-policy-change',
    eventId: 4719,
    subjectUserSid: text(d['SubjectUserSid']),
    subjectUserName: text(d['SubjectUserName']),
    subjectDomainName: text(d['SubjectDomainName']),
    subjectLogonId: text(d['SubjectLogonId']),
    category: readCode(d['CategoryId'] ?? '', AUDIT_CATEGORY_CODES),
    // Subcategory message ids are not a stable public table; the GUID is the identifier that matters.
    subcategory: readCode(d['SubcategoryId'] ?? '', NO_NAMES),
    subcategoryGuid: guid,
    subcategoryName: subcategoryByGuid(guid)?.name ?? null,
    changes,
  };
}

export function interpretLogCleared(raw: RawRecord): LogClearedEvent {
  const d = raw.data;
  return {
    type: 'log-cleared',
    eventId: 1102,
    subjectUserSid: text(d['SubjectUserSid']),
    subjectUserName: text(d['SubjectUserName']),
    subjectDomainName: text(d['SubjectDomainName']),
    subjectLogonId: text(d['SubjectLogonId']),
  };
}

function text(s: string | undefined): string {
  return (s ?? '').trim();
}
