// Every condition the audit stage reports, as one named event each (STYLE §8): it updates the metrics and
// writes at most one log record. Conditions that persist (drift, GPO, a small or non-overwriting log) are
// logged when they appear or change, not at every check.
import { describeDesired, describeSetting } from './audit-setting.ts';
import type { AuditTelemetry } from './audit-telemetry.ts';
import { subcategoryAttributes } from './audit-telemetry.ts';
import type { DriftRow } from './drift.ts';

export interface AuditEvents {
  /** The state read in one check: gauges for every row, a drift record for each new or changed drift. */
  stateRead(rows: readonly DriftRow[], reason: string, mode: string): void;
  /** The state read back after changes: gauges, and drift that was fixed is forgotten. */
  stateAfterChange(rows: readonly DriftRow[]): void;
  subcategorySet(row: DriftRow, command: string, reason: string): void;
  logSizeRaised(fromBytes: number, toBytes: number, command: string, reason: string): void;
  /** A Security-log condition (retention, too small, size set by policy), keyed so each is logged once while it lasts. */
  securityLog(key: 'retention' | 'small' | 'policy', message: string | null, reason: string): void;
  /** The GPO refusal text, or null when the machine is not GPO-managed. */
  gpoManaged(refused: string | null, reason: string): void;
  error(message: string, reason: string): void;
}

export function createAuditEvents(telemetry: AuditTelemetry): AuditEvents {
  const reportedDrift = new Map<string, string>();
  const reportedLog = new Map<string, string>();
  let reportedGpo = '';
  const reasonAttr = (reason: string) => ({ 'wfp.audit.check.reason': reason });

  return {
    stateRead(rows, reason, mode) {
      telemetry.recordState(rows);
      for (const row of rows) {
        const guid = row.subcategory.guid;
        if (row.state === 'in-sync') {
          reportedDrift.delete(guid);
          continue;
        }
        const current = row.current === null ? 'missing' : describeSetting(row.current);
        if (reportedDrift.get(guid) === current) continue;
        reportedDrift.set(guid, current);
        telemetry.log({
          name: 'wfp.audit.drift',
          severity: 'warn',
          message:
            row.state === 'missing'
              ? `Audit subcategory ${row.subcategory.name} ${guid} is not in the machine's audit policy.`
              : `Audit subcategory ${row.subcategory.name} ${guid} is '${current}', the configuration wants '${describeDesired(row.desired)}'.`,
          attributes: {
            ...subcategoryAttributes(row.subcategory),
            'wfp.audit.setting.desired': describeDesired(row.desired),
            'wfp.audit.setting.current': current,
            'wfp.audit.mode': mode,
            ...reasonAttr(reason),
          },
        });
      }
    },
    stateAfterChange(rows) {
      telemetry.recordState(rows);
      for (const row of rows) if (row.state === 'in-sync') reportedDrift.delete(row.subcategory.guid);
    },
    subcategorySet(row, command, reason) {
      const before = describeSetting(row.current!);
      const after = describeSetting(row.target!);
      telemetry.recordCorrection(row.subcategory);
      telemetry.log({
        name: 'wfp.audit.change',
        severity: 'info',
        message: `Set audit subcategory ${row.subcategory.name} ${row.subcategory.guid} from '${before}' to '${after}'.`,
        attributes: {
          ...subcategoryAttributes(row.subcategory),
          'wfp.audit.setting.before': before,
          'wfp.audit.setting.after': after,
          'wfp.audit.command': command,
          ...reasonAttr(reason),
        },
      });
    },
    logSizeRaised(fromBytes, toBytes, command, reason) {
      telemetry.log({
        name: 'wfp.audit.change',
        severity: 'info',
        message: `Raised the Security log's maximum size from ${fromBytes} to ${toBytes} bytes.`,
        attributes: { 'wfp.audit.command': command, ...reasonAttr(reason) },
      });
    },
    securityLog(key, message, reason) {
      if (message === null) {
        reportedLog.delete(key);
        return;
      }
      if (reportedLog.get(key) === message) return;
      reportedLog.set(key, message);
      telemetry.log({ name: 'wfp.audit.security_log', severity: 'warn', message, attributes: reasonAttr(reason) });
    },
    gpoManaged(refused, reason) {
      if (refused === null || refused === reportedGpo) {
        if (refused === null) reportedGpo = '';
        return;
      }
      reportedGpo = refused;
      telemetry.log({ name: 'wfp.audit.gpo_managed', severity: 'warn', message: refused, attributes: reasonAttr(reason) });
    },
    error(message, reason) {
      telemetry.log({ name: 'wfp.audit.error', severity: 'error', message, attributes: reasonAttr(reason) });
    },
  };
}
