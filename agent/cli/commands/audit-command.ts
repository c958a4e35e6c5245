// `wfp-agent audit status|apply|restore`: the audit policy the config wants vs the machine's (or a backup CSV's).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MeterProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type {
  AuditFs,
  AuditPolicySnapshot,
  AuditStage,
  CommandRunner,
  DriftRow,
  GpoDetector,
  GpoState,
  IgnoredRow,
  NameMismatch,
  PlannedCommand,
  SecurityLogSettings,
} from '../../audit/index.ts';
import {
  backupPolicyCommand,
  buildAudit,
  computeDrift,
  decodeText,
  defaultAuditDeps,
  describeDesired,
  describeSetting,
  formatCommand,
  parseAuditCsv,
  retentionProblem,
  setSecurityLogSizeCommand,
  setSubcategoryCommand,
  sizeToRaise,
} from '../../audit/index.ts';
import type { AgentConfig } from '../../config/index.ts';
import { ConfigError, loadLocalConfig } from '../../config/index.ts';
import type { CliIo, Command } from '../command.ts';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from '../command.ts';
import { flag, parseOptions, stringOption } from '../parse-options.ts';

const HELP = `Usage: wfp-agent audit status  [--config FILE] [--json] [--from-backup FILE.csv]
       wfp-agent audit apply   [--config FILE] [--dry-run [--from-backup FILE.csv]]
       wfp-agent audit restore [--config FILE]

  status    Compare the audit subcategories in the config (audit_policy.subcategories) with this
            machine's audit policy (read with auditpol /backup) and print subcategory, GUID, desired,
            current and drift; also whether Group Policy sets the audit policy, and the Security log's
            size and retention. --json prints the same as JSON. --from-backup compares with a CSV
            written by auditpol /backup (or a GPO audit.csv) instead of the machine, on any OS.
            Exit 0 in sync, 1 drift or problems.
  apply     Apply the desired state once, whatever audit_policy.mode says: back up the current
            policy into the state dir (first change only), set each drifted subcategory by GUID,
            raise the Security log size. Changes nothing when Group Policy sets the audit policy.
            --dry-run prints the exact commands instead of running them.
  restore   Put back the audit policy (and Security log size) backed up before the first change.

status and apply on the machine need Windows and an elevated prompt (or LocalSystem).
`;

export interface AuditCommandDeps {
  readonly platform?: NodeJS.Platform;
  /** Injected tool runner (tests); when given, the live commands run on any OS. */
  readonly runner?: CommandRunner;
  readonly fs?: AuditFs;
  readonly gpo?: GpoDetector;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  readonly now?: () => Date;
}

interface StatusView {
  readonly rows: readonly DriftRow[];
  readonly gpo: GpoState | null;
  readonly securityLog: SecurityLogSettings | null;
  readonly warnings: readonly string[];
  /** From a backup file: rows Windows would not apply, and names that disagree with their GUID. */
  readonly ignoredRows?: readonly IgnoredRow[];
  readonly nameMismatches?: readonly NameMismatch[];
}

export function createAuditCommand(deps: AuditCommandDeps = {}): Command {
  const platform = deps.platform ?? process.platform;
  return {
    name: 'audit',
    summary: 'Show, apply or restore the audit policy that makes block events exist.',
    help: HELP,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const parsed = parseOptions(args, {
        config: { type: 'string' },
        json: { type: 'boolean' },
        'from-backup': { type: 'string' },
        'dry-run': { type: 'boolean' },
      });
      if (!parsed.ok) return usage(io, parsed.message);
      const [action, ...extra] = parsed.parsed.positionals;
      if ((action !== 'status' && action !== 'apply' && action !== 'restore') || extra.length > 0) {
        return usage(io, "expected 'status', 'apply' or 'restore'");
      }
      const fromBackup = stringOption(parsed.parsed, 'from-backup');
      const dryRun = flag(parsed.parsed, 'dry-run');
      const json = flag(parsed.parsed, 'json');
      if (fromBackup !== undefined && !(action === 'status' || (action === 'apply' && dryRun))) {
        return usage(io, '--from-backup goes with status or apply --dry-run');
      }
      if (json && action !== 'status') return usage(io, '--json goes with status');
      if (dryRun && action !== 'apply') return usage(io, '--dry-run goes with apply');

      let config: AgentConfig;
      try {
        config = loadLocalConfig(stringOption(parsed.parsed, 'config'), (name) => io.env[name]);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        io.stderr(`${error.message}\n`);
        return EXIT_USAGE;
      }

      const live = fromBackup === undefined;
      if (live && deps.runner === undefined && platform !== 'win32') {
        io.stderr(`wfp-agent audit ${action}: needs Windows (auditpol, wevtutil)${action === 'restore' ? '' : '; use --from-backup FILE.csv to compare with an auditpol /backup file'}.\n`);
        return EXIT_USAGE;
      }
      // Offline (--from-backup) the commands printed are for a Windows machine, so use its default paths.
      const context = { platform: live ? platform : 'win32', env: io.env, cwd: io.cwd } as const;
      const { platform: _platform, ...overrides } = deps;
      const stage = buildAudit(config.audit_policy, defaultAuditDeps(config.state_dir, context, overrides));
      if (!stage.ok) {
        io.stderr(`${stage.detail}\n`);
        return EXIT_USAGE;
      }

      if (action === 'restore') return restore(stage.value, io);
      if (action === 'apply' && !dryRun) return apply(stage.value, io);

      const view = live ? await readLive(stage.value, config, io) : readBackup(stage.value, resolve(io.cwd, fromBackup), io);
      if (view === null) return EXIT_PROBLEMS;
      if (action === 'apply') return dryRunApply(stage.value, config, view, live, io);
      printStatus(view, json, live ? 'machine' : fromBackup, config, io);
      const problems = view.rows.some((r) => r.state !== 'in-sync') || view.warnings.length > 0 || (view.nameMismatches ?? []).length > 0;
      return problems ? EXIT_PROBLEMS : EXIT_OK;
    },
  };
}

export const auditCommand: Command = createAuditCommand();

function usage(io: CliIo, message: string): number {
  io.stderr(`wfp-agent audit: ${message}. See wfp-agent audit --help.\n`);
  return EXIT_USAGE;
}

async function readLive(stage: AuditStage, config: AgentConfig, io: CliIo): Promise<StatusView | null> {
  const read = await stage.machine.readPolicy();
  if (!read.ok) {
    io.stderr(`wfp-agent audit: reading the audit policy failed: ${read.detail}\n`);
    return null;
  }
  const warnings = [...read.value.warnings];
  const log = await stage.machine.readSecurityLog();
  if (!log.ok) warnings.push(`Security log: ${log.detail}`);
  else if (config.audit_policy.security_log.check_retention) {
    const problem = retentionProblem(log.value);
    if (problem !== null) warnings.push(problem);
  }
  const gpo = await stage.gpo.detect();
  return { rows: computeDrift(stage.policy, read.value), gpo, securityLog: log.ok ? log.value : null, warnings };
}

function readBackup(stage: AuditStage, file: string, io: CliIo): StatusView | null {
  let snapshot: AuditPolicySnapshot;
  try {
    const parsed = parseAuditCsv(decodeText(readFileSync(file)));
    if (!parsed.ok) {
      io.stderr(`${file}: ${parsed.detail}\n`);
      return null;
    }
    snapshot = parsed.value;
  } catch (error) {
    io.stderr(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return null;
  }
  return {
    rows: computeDrift(stage.policy, snapshot),
    gpo: null,
    securityLog: null,
    warnings: snapshot.warnings.map((w) => `${file}: ${w}`),
    ignoredRows: snapshot.ignoredRows,
    nameMismatches: snapshot.nameMismatches,
  };
}

function printStatus(view: StatusView, json: boolean, source: string, config: AgentConfig, io: CliIo): void {
  if (json) {
    io.stdout(
      `${JSON.stringify(
        {
          source,
          mode: config.audit_policy.mode,
          subcategories: view.rows.map((r) => ({
            name: r.subcategory.name,
            guid: r.subcategory.guid,
            desired: r.desired,
            current: r.current,
            drift: r.state,
          })),
          gpo: view.gpo === null ? null : { managed: view.gpo.managed, sources: view.gpo.sources, notes: view.gpo.notes },
          securityLog: view.securityLog,
          warnings: view.warnings,
          ...(view.ignoredRows === undefined ? {} : { ignoredRows: view.ignoredRows }),
          ...(view.nameMismatches === undefined ? {} : { nameMismatches: view.nameMismatches }),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const table = [
    ['SUBCATEGORY', 'GUID', 'DESIRED', 'CURRENT', 'DRIFT'],
    ...view.rows.map((r) => [
      r.subcategory.name,
      r.subcategory.guid,
      describeDesired(r.desired),
      r.current === null ? '-' : describeSetting(r.current),
      r.state === 'in-sync' ? 'no' : r.state === 'drift' ? 'yes' : `missing${whyMissing(r, view)}`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  const notes: string[] = [`Source: ${source === 'machine' ? "this machine's audit policy" : source}. Mode: ${config.audit_policy.mode}.`];
  if (view.gpo !== null) {
    if (view.gpo.managed === false) notes.push('Group Policy: does not set the advanced audit policy here.');
    if (view.gpo.managed === true) notes.push(`Group Policy sets the advanced audit policy (${view.gpo.sources.join('; ')}): enforce changes nothing here.`);
    else if (view.gpo.managed === null) notes.push('Could not tell whether Group Policy sets the audit policy: enforce changes nothing until it can.');
    notes.push(...view.gpo.notes);
  }
  if (view.securityLog !== null) {
    const mib = (view.securityLog.maxSizeBytes / 1048576).toFixed(0);
    notes.push(`Security log maximum size: ${mib} MiB (wanted at least ${config.audit_policy.security_log.min_size_mb} MiB).`);
  }
  const mismatches = (view.nameMismatches ?? []).map(
    (m) => `line ${m.line}: '${m.name}' names ${m.nameMeans} ${m.nameGuid} but its GUID ${m.guid} is ${m.guidName}; Windows applies the GUID.`,
  );
  if (mismatches.length > 0) notes.push('Names that disagree with their GUID (the GUID is what Windows applies):', ...mismatches);
  io.stdout(`${[...lines, '', ...notes, ...view.warnings].join('\n')}\n`);
}

/** For a subcategory missing from a backup file: the row that meant it, when one was ignored or mislabelled. */
function whyMissing(row: DriftRow, view: StatusView): string {
  const guid = row.subcategory.guid;
  const ignored = (view.ignoredRows ?? []).find((r) => r.guid === guid);
  if (ignored !== undefined) return ` (line ${ignored.line} ignored)`;
  const named = (view.nameMismatches ?? []).find((m) => m.nameGuid === guid);
  if (named !== undefined) return ` (line ${named.line} names it with another GUID)`;
  return '';
}

async function dryRunApply(stage: AuditStage, config: AgentConfig, view: StatusView, live: boolean, io: CliIo): Promise<number> {
  const commands: PlannedCommand[] = [];
  const drifted = view.rows.filter((r) => r.state === 'drift');
  const raiseTo = view.securityLog === null ? null : sizeToRaise(view.securityLog, config.audit_policy.security_log.min_size_mb);
  if ((drifted.length > 0 || raiseTo !== null) && !(live && (await stage.backup.hasPolicyBackup()))) {
    const b = backupPolicyCommand(stage.tools, stage.backup.policyFile);
    if (b.ok) commands.push(b.value);
  }
  for (const row of drifted) {
    const c = setSubcategoryCommand(stage.tools, row.subcategory.guid, row.target!);
    if (c.ok) commands.push(c.value);
  }
  if (raiseTo !== null) {
    const c = setSecurityLogSizeCommand(stage.tools, raiseTo);
    if (c.ok) commands.push(c.value);
  }
  const lines = commands.map(formatCommand);
  for (const row of view.rows.filter((r) => r.state === 'missing')) {
    lines.push(`# ${row.subcategory.name} ${row.subcategory.guid}: not in the ${live ? "machine's policy" : 'file'}; nothing to set`);
  }
  if (view.gpo !== null && view.gpo.managed !== false) lines.push('# Group Policy sets the audit policy here (or it could not be told): apply would run none of these.');
  if (commands.length === 0) lines.push('# Nothing to change.');
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

async function apply(stage: AuditStage, io: CliIo): Promise<number> {
  const report = await stage.governor.check('apply');
  for (const line of report.changes) io.stdout(`ran: ${line}\n`);
  if (report.refused !== null) io.stderr(`wfp-agent audit apply: ${report.refused}\n`);
  for (const e of report.errors) if (e !== report.refused) io.stderr(`wfp-agent audit apply: ${e}\n`);
  if (report.refused === null && report.errors.length === 0) {
    io.stdout(report.changes.length === 0 ? 'Nothing to change: the audit policy is as configured.\n' : 'The audit policy is as configured.\n');
    return EXIT_OK;
  }
  return EXIT_PROBLEMS;
}

async function restore(stage: AuditStage, io: CliIo): Promise<number> {
  const done = await stage.backup.restore();
  if (!done.ok) {
    io.stderr(`wfp-agent audit restore: ${done.detail}\n`);
    return EXIT_PROBLEMS;
  }
  for (const line of done.value) io.stdout(`ran: ${line}\n`);
  io.stdout('Restored the audit policy found before the agent\'s first change.\n');
  return EXIT_OK;
}
