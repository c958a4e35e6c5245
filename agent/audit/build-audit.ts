// Config → a wired audit stage (desired policy, machine, GPO detector, backup, governor). The only I/O it needs
// comes in through `deps`, so the agent, the CLI and the tests build it the same way.
import type { MeterProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api-logs';
import type { AuditPolicyConfig } from '../config/index.ts';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { AuditFs } from './audit-fs.ts';
import type { AuditGovernor, CheckReport } from './audit-governor.ts';
import type { Timers } from '../shared/index.ts';
import { createAuditGovernor } from './audit-governor.ts';
import type { AuditMachine } from './audit-machine.ts';
import { createAuditMachine } from './audit-machine.ts';
import { nodeAuditFs } from './audit-fs.ts';
import { createExecFileRunner } from './command-runner.ts';
import type { StateDirContext } from '../shared/index.ts';
import { resolveStateDir } from '../shared/index.ts';
import { createAuditTelemetry } from './audit-telemetry.ts';
import type { CommandRunner } from './command-runner.ts';
import type { DesiredPolicy } from './desired-policy.ts';
import { buildDesiredPolicy } from './desired-policy.ts';
import type { GpoDetector } from './gpo-detector.ts';
import { createWindowsGpoDetector } from './gpo-detector.ts';
import { parseDurationMs } from './parse-duration.ts';
import type { PolicyBackup } from './policy-backup.ts';
import { createPolicyBackup } from './policy-backup.ts';
import type { ToolPaths } from './windows-commands.ts';
import { windowsToolPaths } from './windows-commands.ts';

export interface AuditDeps {
  readonly runner: CommandRunner;
  readonly fs: AuditFs;
  /** %SystemRoot% (tools live in its System32; GPO files under it). */
  readonly systemRoot: string;
  readonly stateDir: string;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  readonly timers?: Timers;
  readonly now?: () => Date;
  /** Replaces the GPO detector (tests; machines known not to be domain members). */
  readonly gpo?: GpoDetector;
  /** Every finished check's report (the running agent's status file). */
  readonly onReport?: (report: CheckReport) => void;
}

export interface AuditStage {
  readonly policy: DesiredPolicy;
  readonly tools: ToolPaths;
  readonly machine: AuditMachine;
  readonly gpo: GpoDetector;
  readonly backup: PolicyBackup;
  readonly governor: AuditGovernor;
}

/**
 * The real I/O for this machine: tools run by execFile, node:fs, %SystemRoot% from the environment, the state
 * dir from `state_dir` (or the platform default). `overrides` replaces any part (tests, the CLI's options).
 */
export function defaultAuditDeps(stateDir: string, context: StateDirContext, overrides: Partial<AuditDeps> = {}): AuditDeps {
  return {
    runner: createExecFileRunner(),
    fs: nodeAuditFs(),
    systemRoot: context.env['SystemRoot'] ?? context.env['SYSTEMROOT'] ?? 'C:\\Windows',
    stateDir: resolveStateDir(stateDir, context),
    ...overrides,
  };
}

export function buildAudit(config: AuditPolicyConfig, deps: AuditDeps): Result<AuditStage, 'bad-subcategory'> {
  const policy = buildDesiredPolicy(config);
  if (!policy.ok) return err(policy.reason, policy.detail);
  // Clamped: execFile treats 0 as "no timeout", the opposite of what `0s` would mean.
  const timeoutMs = Math.max(100, parseDurationMs(config.command_timeout));
  const tools = windowsToolPaths(deps.systemRoot);
  const machine = createAuditMachine({ runner: deps.runner, fs: deps.fs, tools, workDir: deps.stateDir, timeoutMs });
  const gpo =
    deps.gpo ?? createWindowsGpoDetector({ runner: deps.runner, fs: deps.fs, tools, systemRoot: deps.systemRoot, timeoutMs });
  const backup = createPolicyBackup({
    machine,
    fs: deps.fs,
    stateDir: deps.stateDir,
    ...(deps.now === undefined ? {} : { now: deps.now }),
  });
  const telemetry = createAuditTelemetry({
    ...(deps.meterProvider === undefined ? {} : { meterProvider: deps.meterProvider }),
    ...(deps.loggerProvider === undefined ? {} : { loggerProvider: deps.loggerProvider }),
  });
  const governor = createAuditGovernor({
    config,
    policy: policy.value,
    machine,
    gpo,
    backup,
    telemetry,
    ...(deps.timers === undefined ? {} : { timers: deps.timers }),
    ...(deps.onReport === undefined ? {} : { onReport: deps.onReport }),
  });
  return ok({ policy: policy.value, tools, machine, gpo, backup, governor });
}
