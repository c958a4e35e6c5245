export { createExecFileRunner, unsafeArgument } from './command-runner.ts';
export type { CommandRunner, CommandOutcome, RunOptions, ExecFileRunnerOptions } from './command-runner.ts';
export { SUBCATEGORIES, STRICT_GUID, isStrictGuid, canonicalGuid, resolveSubcategory, subcategoryByGuid } from '../shared/index.ts';
export type { Subcategory } from '../shared/index.ts';
export { settingFromValue, settingValue, describeSetting, describeDesired, mergeDesired, satisfies } from './audit-setting.ts';
export type { AuditSetting, DesiredSetting } from './audit-setting.ts';
export { parseAuditCsv, splitCsv, decodeText } from './audit-csv.ts';
export type { AuditPolicySnapshot, SubcategoryState, AuditOption, GlobalSacl, AuditCsvError, IgnoredRow, NameMismatch } from './audit-csv.ts';
export {
  windowsToolPaths,
  setSubcategoryCommand,
  backupPolicyCommand,
  restorePolicyCommand,
  readSecurityLogCommand,
  setSecurityLogSizeCommand,
  regQueryCommand,
  formatCommand,
  unsafePath,
  MAX_LOG_BYTES,
} from './windows-commands.ts';
export type { ToolPaths, PlannedCommand, CommandError } from './windows-commands.ts';
export { parseChannelXml, sizeToRaise, retentionProblem } from './security-log.ts';
export type { SecurityLogSettings } from './security-log.ts';
export { buildDesiredPolicy } from './desired-policy.ts';
export type { DesiredPolicy, DesiredEntry } from './desired-policy.ts';
export { computeDrift } from './drift.ts';
export type { DriftRow, DriftState } from './drift.ts';
export { nodeAuditFs } from './audit-fs.ts';
export type { AuditFs } from './audit-fs.ts';
export { createAuditMachine, failureText } from './audit-machine.ts';
export type { AuditMachine, AuditMachineOptions, MachineError, MachineResult } from './audit-machine.ts';
export {
  createWindowsGpoDetector,
  createFixedGpoDetector,
  NOT_GPO_MANAGED,
  AUDIT_CSE_GUID,
  AUDIT_CSE_HISTORY_KEY,
  LSA_KEY,
  EVENTLOG_POLICY_KEY,
} from './gpo-detector.ts';
export type { GpoDetector, GpoState, WindowsGpoDetectorOptions } from './gpo-detector.ts';
export { createPolicyBackup, POLICY_BACKUP_FILE, LOG_SIZE_BACKUP_FILE } from './policy-backup.ts';
export type { PolicyBackup, PolicyBackupOptions } from './policy-backup.ts';
export { createAuditTelemetry, AUDIT_SCOPE } from './audit-telemetry.ts';
export type { AuditTelemetry, AuditTelemetryOptions, AuditLogEvent, AuditEventName } from './audit-telemetry.ts';
export { createAuditGovernor, MIN_CHECK_INTERVAL_MS } from './audit-governor.ts';
export { createAuditEvents } from './internal-events.ts';
export type { AuditEvents } from './internal-events.ts';
export type { AuditGovernor, AuditGovernorOptions, CheckReport, CheckReason } from './audit-governor.ts';
export { buildAudit, defaultAuditDeps } from './build-audit.ts';
export type { AuditDeps, AuditStage } from './build-audit.ts';
export { resolveStateDir, statePath } from '../shared/index.ts';
export type { StateDirContext } from '../shared/index.ts';
export { parseDurationMs } from './parse-duration.ts';
