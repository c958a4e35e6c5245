// The config's subcategory map → the desired policy by GUID, with one problem line per bad key.
import type { AuditPolicyConfig } from '../config/index.ts';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { DesiredSetting } from './audit-setting.ts';
import type { Subcategory } from '../shared/index.ts';
import { resolveSubcategory } from '../shared/index.ts';

export interface DesiredEntry {
  readonly subcategory: Subcategory;
  readonly desired: DesiredSetting;
  /** The key as written in the config. */
  readonly key: string;
}

export interface DesiredPolicy {
  readonly entries: readonly DesiredEntry[];
  /** Canonical GUID → entry. */
  readonly byGuid: ReadonlyMap<string, DesiredEntry>;
}

export function buildDesiredPolicy(config: Pick<AuditPolicyConfig, 'subcategories'>): Result<DesiredPolicy, 'bad-subcategory'> {
  const problems: string[] = [];
  const byGuid = new Map<string, DesiredEntry>();
  for (const [key, value] of Object.entries(config.subcategories)) {
    const resolved = resolveSubcategory(key);
    if (!resolved.ok) {
      problems.push(`audit_policy.subcategories.${key}: ${resolved.detail}`);
      continue;
    }
    const sub = resolved.value;
    const earlier = byGuid.get(sub.guid);
    if (earlier !== undefined) {
      problems.push(`audit_policy.subcategories.${key}: names the same subcategory as '${earlier.key}' (${sub.guid})`);
      continue;
    }
    const desired: DesiredSetting = { success: value.success ?? null, failure: value.failure ?? null };
    if (desired.success === null && desired.failure === null) {
      problems.push(`audit_policy.subcategories.${key}: give success and/or failure (true or false)`);
      continue;
    }
    byGuid.set(sub.guid, { subcategory: sub, desired, key });
  }
  if (problems.length > 0) return err('bad-subcategory', problems.join('\n'));
  return ok({ entries: [...byGuid.values()], byGuid });
}
