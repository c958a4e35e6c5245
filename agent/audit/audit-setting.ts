// One subcategory's auditing as the locale-independent `Setting Value` column carries it (0 none, 1 success,
// 2 failure, 3 both), and the words the reports print for it.

export interface AuditSetting {
  readonly success: boolean;
  readonly failure: boolean;
}

/** Desired auditing; a side that is null is not managed (left as found). */
export interface DesiredSetting {
  readonly success: boolean | null;
  readonly failure: boolean | null;
}

/**
 * `Setting Value` → setting. 0..3 as auditpol /backup writes them; 4 is "None" in GPO files (MS-GPAC
 * §2.2.1.3.1). Anything else → null (the caller reports it).
 */
export function settingFromValue(value: number): AuditSetting | null {
  if (value === 4) return { success: false, failure: false };
  if (!Number.isInteger(value) || value < 0 || value > 3) return null;
  return { success: (value & 1) !== 0, failure: (value & 2) !== 0 };
}

export function settingValue(setting: AuditSetting): number {
  return (setting.success ? 1 : 0) | (setting.failure ? 2 : 0);
}

/** `success and failure`, `success`, `failure` or `none`. */
export function describeSetting(setting: AuditSetting): string {
  if (setting.success && setting.failure) return 'success and failure';
  if (setting.success) return 'success';
  if (setting.failure) return 'failure';
  return 'none';
}

/** `failure` when both sides are managed; `failure (success: any)` when one side is left as found. */
export function describeDesired(desired: DesiredSetting): string {
  if (desired.success !== null && desired.failure !== null) {
    return describeSetting({ success: desired.success, failure: desired.failure });
  }
  const parts: string[] = [];
  if (desired.success !== null) parts.push(`success ${desired.success ? 'on' : 'off'}`);
  if (desired.failure !== null) parts.push(`failure ${desired.failure ? 'on' : 'off'}`);
  return parts.join(', ');
}

/** The current setting with every managed side replaced by its desired value. */
export function mergeDesired(current: AuditSetting, desired: DesiredSetting): AuditSetting {
  return { success: desired.success ?? current.success, failure: desired.failure ?? current.failure };
}

export function satisfies(current: AuditSetting, desired: DesiredSetting): boolean {
  return (
    (desired.success === null || desired.success === current.success) &&
    (desired.failure === null || desired.failure === current.failure)
  );
}
