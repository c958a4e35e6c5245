// The `audit_policy` section: which Windows audit subcategories the agent keeps in which state, and how.
// Defaults live in config/agent.schema.json; subcategory names are resolved by the audit stage
// (`buildDesiredPolicy` in agent/audit), which reports unknown names with their YAML key.

/** enforce: fix drift; verify: only report it; off: never read or touch the audit policy. */
export type AuditMode = 'enforce' | 'verify' | 'off';

/** Desired auditing for one subcategory. A key left out means "leave as found" (not managed). */
export interface AuditSubcategorySetting {
  readonly success?: boolean;
  readonly failure?: boolean;
}

export interface SecurityLogConfig {
  /** Raise the Security log's maximum size to at least this many MiB; never lowers it. 0: leave it. */
  readonly min_size_mb: number;
  /** Report when the Security log is set to "do not overwrite" without archiving (new events get lost). */
  readonly check_retention: boolean;
}

export interface AuditPolicyConfig {
  readonly mode: AuditMode;
  /** Friendly name (`Filtering Platform Connection`, with or without `Audit ` prefix) or `{GUID}` → setting. */
  readonly subcategories: Readonly<Record<string, AuditSubcategorySetting>>;
  /** Duration such as `5m`, `300s`, `1h`: how often drift is checked (also on start and on 4719). */
  readonly check_interval: string;
  /** Duration: how long one auditpol / wevtutil / reg call may take before it is killed. */
  readonly command_timeout: string;
  readonly security_log: SecurityLogConfig;
}
