// Keeps the audit policy in the configured state: checks on start, every check_interval and at once on a 4719
// for a managed subcategory; enforce re-applies (after backing up the original once, never against Group
// Policy), verify only reports. Checks never overlap: one asked for while one runs is queued once.
//
//   read (auditpol /backup) ─► drift rows ─► gauges + drift records ─► [enforce] GPO? ─► backup ─► /set ─► re-read
import { UNREF_TIMERS } from '../shared/index.ts';
import type { Timers } from '../shared/index.ts';
import type { AuditPolicyConfig } from '../config/index.ts';
import type { AuditPolicyChangeEvent } from '../interpret/index.ts';
import type { AuditMachine } from './audit-machine.ts';
import type { AuditTelemetry } from './audit-telemetry.ts';
import { createAuditEvents } from './internal-events.ts';
import type { DesiredPolicy } from './desired-policy.ts';
import type { DriftRow } from './drift.ts';
import { computeDrift } from './drift.ts';
import type { GpoDetector, GpoState } from './gpo-detector.ts';
import { parseDurationMs } from './parse-duration.ts';
import type { PolicyBackup } from './policy-backup.ts';
import type { SecurityLogSettings } from './security-log.ts';
import { retentionProblem, sizeToRaise } from './security-log.ts';
import { canonicalGuid, isStrictGuid } from '../shared/index.ts';

/** Shortest drift-check period honoured. */
export const MIN_CHECK_INTERVAL_MS = 10_000;

export type CheckReason = 'start' | 'interval' | 'event-4719' | 'apply';

export interface CheckReport {
  readonly reason: CheckReason;
  readonly mode: 'enforce' | 'verify';
  /** The state found (before any change). */
  readonly rows: readonly DriftRow[];
  /** The state after applying (enforce with changes), else null. */
  readonly after: readonly DriftRow[] | null;
  /** Command lines run to change the machine, in order (the backup included). */
  readonly changes: readonly string[];
  readonly gpo: GpoState | null;
  /** Why enforce changed nothing although there was drift (GPO-managed, backup failed), or null. */
  readonly refused: string | null;
  readonly securityLog: SecurityLogSettings | null;
  readonly errors: readonly string[];
}

export interface AuditGovernorOptions {
  readonly config: AuditPolicyConfig;
  readonly policy: DesiredPolicy;
  readonly machine: AuditMachine;
  readonly gpo: GpoDetector;
  readonly backup: PolicyBackup;
  readonly telemetry: AuditTelemetry;
  readonly timers?: Timers;
  /** Every finished check's report (the agent's status file shows drift and errors from it). */
  readonly onReport?: (report: CheckReport) => void;
}

export interface AuditGovernor {
  /** First check, then one every check_interval. Null when mode is off. */
  start(): Promise<CheckReport | null>;
  /** One check now (mode from the config; `apply` forces enforce). */
  check(reason: CheckReason): Promise<CheckReport>;
  /** A 4719 for a managed subcategory triggers a check at once; others return null. */
  onAuditPolicyChangeEvent(event: AuditPolicyChangeEvent): Promise<CheckReport> | null;
  shutdown(): Promise<void>;
}

export function createAuditGovernor(options: AuditGovernorOptions): AuditGovernor {
  const { config, policy, machine, gpo, backup, telemetry } = options;
  const timers = options.timers ?? UNREF_TIMERS;
  const events = createAuditEvents(telemetry);
  let interval: unknown = null;
  let running: Promise<CheckReport> | null = null;
  let queued: Promise<CheckReport> | null = null;
  let stopped = false;

  function check(reason: CheckReason): Promise<CheckReport> {
    if (queued !== null) return queued;
    if (running !== null) {
      const next = running.then(() => {
        queued = null;
        return launch(reason);
      });
      queued = next;
      return next;
    }
    return launch(reason);
  }

  function launch(reason: CheckReason): Promise<CheckReport> {
    const p: Promise<CheckReport> = runCheck(reason)
      .catch((error: unknown) => unexpected(reason, error))
      .then((report) => {
        options.onReport?.(report);
        return report;
      })
      .finally(() => {
        if (running === p) running = null;
      });
    running = p;
    return p;
  }

  // File-system errors (state dir not writable, …) end the check with a report, never an unhandled rejection.
  function unexpected(reason: CheckReason, error: unknown): CheckReport {
    const message = `The audit check failed: ${(error as Error).message ?? String(error)}`;
    events.error(message, reason);
    const mode = reason === 'apply' || config.mode === 'enforce' ? 'enforce' : 'verify';
    return { reason, mode, rows: [], after: null, changes: [], gpo: null, refused: null, securityLog: null, errors: [message] };
  }

  async function runCheck(reason: CheckReason): Promise<CheckReport> {
    const mode = reason === 'apply' ? 'enforce' : config.mode === 'enforce' ? 'enforce' : 'verify';
    const errors: string[] = [];
    const changes: string[] = [];
    const report = (rows: readonly DriftRow[], extra: Partial<CheckReport> = {}): CheckReport => ({
      reason, mode, rows, after: null, changes, gpo: null, refused: null, securityLog: null, errors, ...extra,
    });
    const fail = (message: string): void => {
      errors.push(message);
      events.error(message, reason);
    };

    const read = await machine.readPolicy();
    if (!read.ok) {
      fail(`Reading the audit policy failed: ${read.detail}`);
      return report([]);
    }
    const rows = computeDrift(policy, read.value);
    events.stateRead(rows, reason, mode);

    let securityLog: SecurityLogSettings | null = null;
    let raiseTo: number | null = null;
    if (config.security_log.min_size_mb > 0 || config.security_log.check_retention) {
      const log = await machine.readSecurityLog();
      if (!log.ok) fail(`Reading the Security log settings failed: ${log.detail}`);
      else {
        securityLog = log.value;
        raiseTo = sizeToRaise(log.value, config.security_log.min_size_mb);
        events.securityLog('retention', config.security_log.check_retention ? retentionProblem(log.value) : null, reason);
      }
    }
    const small =
      mode === 'verify' && raiseTo !== null && securityLog !== null
        ? `The Security log's maximum size is ${securityLog.maxSizeBytes} bytes, below the configured ${raiseTo} bytes.`
        : null;
    events.securityLog('small', small, reason);

    const drifted = rows.filter((r) => r.state === 'drift');
    if (mode === 'verify' || (drifted.length === 0 && raiseTo === null)) return report(rows, { securityLog });

    const gpoState = await gpo.detect();
    if (gpoState.managed !== false) {
      const refused =
        gpoState.managed === null
          ? `Could not tell whether Group Policy sets the advanced audit policy (${gpoState.notes.join(' ')}), so nothing was changed.`
          : `The advanced audit policy is set by Group Policy (${gpoState.sources.join('; ')}); the agent changes nothing here. Configure the subcategories in that GPO instead.`;
      events.gpoManaged(refused, reason);
      return report(rows, { gpo: gpoState, refused, securityLog });
    }
    events.gpoManaged(null, reason);

    const saved = await backup.ensurePolicyBackup();
    if (!saved.ok) {
      fail(saved.detail);
      return report(rows, { gpo: gpoState, refused: saved.detail, securityLog });
    }
    if (saved.value !== null) changes.push(saved.value);

    for (const row of drifted) {
      const set = await machine.setSubcategory(row.subcategory.guid, row.target!);
      if (!set.ok) {
        fail(`Setting ${row.subcategory.name} failed: ${set.detail}`);
        continue;
      }
      changes.push(set.value);
      events.subcategorySet(row, set.value, reason);
    }

    const sizePolicyKb = gpoState.logSizePolicyKb ?? null;
    // Group Policy sets the log size: raising it would be undone at the next refresh, so only report it.
    events.securityLog(
      'policy',
      raiseTo !== null && sizePolicyKb !== null ? `The Security log's maximum size is set by Group Policy (${sizePolicyKb} KiB); the agent leaves it.` : null,
      reason,
    );
    if (raiseTo !== null && sizePolicyKb === null && securityLog !== null) {
      await backup.ensureLogSizeBackup(securityLog.maxSizeBytes);
      const set = await machine.setSecurityLogMaxSize(raiseTo);
      if (!set.ok) fail(`Raising the Security log size failed: ${set.detail}`);
      else {
        changes.push(set.value);
        events.logSizeRaised(securityLog.maxSizeBytes, raiseTo, set.value, reason);
      }
    }

    if (drifted.length === 0) return report(rows, { gpo: gpoState, securityLog });
    const reread = await machine.readPolicy();
    if (!reread.ok) {
      fail(`Re-reading the audit policy after the change failed: ${reread.detail}`);
      return report(rows, { gpo: gpoState, securityLog });
    }
    const after = computeDrift(policy, reread.value);
    events.stateAfterChange(after);
    for (const row of after) {
      if (row.state !== 'in-sync' && drifted.some((d) => d.subcategory.guid === row.subcategory.guid)) {
        fail(`${row.subcategory.name} ${row.subcategory.guid} still differs after it was set.`);
      }
    }
    return report(rows, { after, gpo: gpoState, securityLog });
  }

  return {
    async start() {
      if (config.mode === 'off' || stopped) return null;
      const first = await check('start');
      if (!stopped && interval === null) {
        // Clamped: `0s` would turn the timer into a busy loop of auditpol calls.
        const every = Math.max(MIN_CHECK_INTERVAL_MS, parseDurationMs(config.check_interval));
        interval = timers.setInterval(() => void check('interval'), every);
      }
      return first;
    },
    check,
    onAuditPolicyChangeEvent(event) {
      if (config.mode === 'off' || stopped) return null;
      const guid = event.subcategoryGuid.trim();
      if (!isStrictGuid(guid) || !policy.byGuid.has(canonicalGuid(guid))) return null;
      return check('event-4719');
    },
    async shutdown() {
      stopped = true;
      if (interval !== null) timers.clearInterval(interval);
      interval = null;
      await (queued ?? running ?? Promise.resolve());
    },
  };
}
