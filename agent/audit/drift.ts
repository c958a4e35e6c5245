// Desired policy vs a snapshot of the current one: one row per managed subcategory. Pure.
import type { AuditPolicySnapshot } from './audit-csv.ts';
import type { AuditSetting, DesiredSetting } from './audit-setting.ts';
import { mergeDesired, satisfies } from './audit-setting.ts';
import type { DesiredPolicy } from './desired-policy.ts';
import type { Subcategory } from '../shared/index.ts';

export type DriftState = 'in-sync' | 'drift' | 'missing';

export interface DriftRow {
  readonly subcategory: Subcategory;
  readonly desired: DesiredSetting;
  /** null when the snapshot has no row for this subcategory. */
  readonly current: AuditSetting | null;
  /** What applying would set: the current setting with every managed side replaced (null when missing). */
  readonly target: AuditSetting | null;
  readonly state: DriftState;
}

export function computeDrift(policy: DesiredPolicy, snapshot: AuditPolicySnapshot): DriftRow[] {
  return policy.entries.map(({ subcategory, desired }) => {
    const row = snapshot.subcategories.get(subcategory.guid);
    if (row === undefined) return { subcategory, desired, current: null, target: null, state: 'missing' };
    const current = row.setting;
    return {
      subcategory,
      desired,
      current,
      target: mergeDesired(current, desired),
      state: satisfies(current, desired) ? 'in-sync' : 'drift',
    };
  });
}
