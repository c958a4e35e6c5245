// The machine's audit state through auditpol and wevtutil: run a planned command, check its exit code and
// timeout, and turn failures into one operator line. State is read only in locale-independent forms.
import { statePath } from '../shared/index.ts';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { AuditFs } from './audit-fs.ts';
import type { AuditPolicySnapshot } from './audit-csv.ts';
import { decodeText, parseAuditCsv } from './audit-csv.ts';
import type { AuditSetting } from './audit-setting.ts';
import type { CommandOutcome, CommandRunner } from './command-runner.ts';
import type { SecurityLogSettings } from './security-log.ts';
import { parseChannelXml } from './security-log.ts';
import type { PlannedCommand, ToolPaths } from './windows-commands.ts';
import {
  backupPolicyCommand,
  formatCommand,
  readSecurityLogCommand,
  restorePolicyCommand,
  setSecurityLogSizeCommand,
  setSubcategoryCommand,
} from './windows-commands.ts';

export type MachineError = 'refused' | 'timeout' | 'failed' | 'bad-output';
export type MachineResult<T> = Result<T, MachineError>;

export interface AuditMachine {
  readPolicy(): Promise<MachineResult<AuditPolicySnapshot>>;
  setSubcategory(guid: string, setting: AuditSetting): Promise<MachineResult<string>>;
  backupPolicy(file: string): Promise<MachineResult<string>>;
  restorePolicy(file: string): Promise<MachineResult<string>>;
  readSecurityLog(): Promise<MachineResult<SecurityLogSettings>>;
  setSecurityLogMaxSize(bytes: number): Promise<MachineResult<string>>;
}

export interface AuditMachineOptions {
  readonly runner: CommandRunner;
  readonly fs: AuditFs;
  readonly tools: ToolPaths;
  /** Folder for the temporary backup file that reading the policy needs (the state dir). */
  readonly workDir: string;
  readonly timeoutMs: number;
}

export function createAuditMachine(options: AuditMachineOptions): AuditMachine {
  const { runner, fs, tools, workDir, timeoutMs } = options;
  let sequence = 0;

  async function exec(planned: Result<PlannedCommand>): Promise<MachineResult<CommandOutcome & { line: string }>> {
    if (!planned.ok) return err('refused', planned.detail);
    const line = formatCommand(planned.value);
    const outcome = await runner.run(planned.value.file, planned.value.args, { timeoutMs });
    if (outcome.timedOut) return err('timeout', `${line}: did not finish within ${timeoutMs} ms and was stopped`);
    if (outcome.code !== 0) return err('failed', `${line}: ${failureText(outcome)}`);
    return ok({ ...outcome, line });
  }

  return {
    async readPolicy() {
      await fs.mkdirp(workDir);
      const file = statePath(workDir, `audit-read-${process.pid}-${++sequence}.csv`);
      try {
        const done = await exec(backupPolicyCommand(tools, file));
        if (!done.ok) return done;
        let bytes: Uint8Array;
        try {
          bytes = await fs.readFile(file);
        } catch (error) {
          return err('bad-output', `${done.value.line}: exited 0 but wrote no file (${(error as Error).message})`);
        }
        const parsed = parseAuditCsv(decodeText(bytes));
        return parsed.ok ? parsed : err('bad-output', `${done.value.line}: ${parsed.detail}`);
      } finally {
        await fs.remove(file);
      }
    },
    async setSubcategory(guid, setting) {
      const done = await exec(setSubcategoryCommand(tools, guid, setting));
      return done.ok ? ok(done.value.line) : done;
    },
    async backupPolicy(file) {
      const done = await exec(backupPolicyCommand(tools, file));
      if (!done.ok) return done;
      if (!(await fs.exists(file))) return err('bad-output', `${done.value.line}: exited 0 but wrote no file`);
      return ok(done.value.line);
    },
    async restorePolicy(file) {
      const done = await exec(restorePolicyCommand(tools, file));
      return done.ok ? ok(done.value.line) : done;
    },
    async readSecurityLog() {
      const done = await exec(ok(readSecurityLogCommand(tools)));
      if (!done.ok) return done;
      const parsed = parseChannelXml(done.value.stdout);
      return parsed.ok ? parsed : err('bad-output', `${done.value.line}: ${parsed.detail}`);
    },
    async setSecurityLogMaxSize(bytes) {
      const done = await exec(setSecurityLogSizeCommand(tools, bytes));
      return done.ok ? ok(done.value.line) : done;
    },
  };
}

/** Exit code plus the tool's first message line, and a hint for the codes that mean "not elevated". */
export function failureText(outcome: CommandOutcome): string {
  const message = firstLine(outcome.stderr) || firstLine(outcome.stdout) || 'no output';
  const code = outcome.code === null ? 'could not run' : `exited with ${outcome.code}`;
  const hint = outcome.code === 5 || outcome.code === 1314 ? ' (run the agent as an administrator or LocalSystem)' : '';
  return `${code}: ${message}${hint}`;
}

function firstLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')
    .slice(0, 200);
}
