// The machine's audit policy (and Security log size) as found before the agent's first change, kept in the
// state dir, and put back by `wfp-agent audit restore`. An existing backup is never overwritten: it holds the
// state from before the agent, not from after its last run.
import { statePath } from '../shared/index.ts';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { AuditFs } from './audit-fs.ts';
import type { AuditMachine } from './audit-machine.ts';

export const POLICY_BACKUP_FILE = 'audit-policy-backup.csv';
export const LOG_SIZE_BACKUP_FILE = 'security-log-backup.json';

export interface PolicyBackupOptions {
  readonly machine: AuditMachine;
  readonly fs: AuditFs;
  readonly stateDir: string;
  readonly now?: () => Date;
}

export interface PolicyBackup {
  readonly policyFile: string;
  readonly logSizeFile: string;
  hasPolicyBackup(): Promise<boolean>;
  /** Back up the audit policy unless a backup exists; returns the command run (null when one existed). */
  ensurePolicyBackup(): Promise<Result<string | null>>;
  /** Remember the Security log's maximum size before the first raise (false when already remembered). */
  ensureLogSizeBackup(maxSizeBytes: number): Promise<boolean>;
  /** Put everything back; the used backup files are renamed `*.restored-<time>` so a later first change backs up anew. */
  restore(): Promise<Result<string[]>>;
}

export function createPolicyBackup(options: PolicyBackupOptions): PolicyBackup {
  const { machine, fs, stateDir } = options;
  const now = options.now ?? (() => new Date());
  const policyFile = statePath(stateDir, POLICY_BACKUP_FILE);
  const logSizeFile = statePath(stateDir, LOG_SIZE_BACKUP_FILE);
  const stamp = (): string => now().toISOString().replace(/[:.]/g, '-');

  return {
    policyFile,
    logSizeFile,
    hasPolicyBackup: () => fs.exists(policyFile),
    async ensurePolicyBackup() {
      if (await fs.exists(policyFile)) return ok(null);
      await fs.mkdirp(stateDir);
      const done = await machine.backupPolicy(policyFile);
      return done.ok ? ok(done.value) : err(done.reason, `Backing up the audit policy failed, so nothing was changed: ${done.detail}`);
    },
    async ensureLogSizeBackup(maxSizeBytes) {
      if (await fs.exists(logSizeFile)) return false;
      await fs.mkdirp(stateDir);
      await fs.writeFile(logSizeFile, `${JSON.stringify({ version: 1, maxSizeBytes })}\n`);
      return true;
    },
    async restore() {
      const done: string[] = [];
      const hasPolicy = await fs.exists(policyFile);
      const hasLogSize = await fs.exists(logSizeFile);
      if (!hasPolicy && !hasLogSize) {
        return err('no-backup', `No backup in ${stateDir}: the agent has not changed this machine's audit policy.`);
      }
      const suffix = `.restored-${stamp()}`;
      if (hasPolicy) {
        const restored = await machine.restorePolicy(policyFile);
        if (!restored.ok) return restored;
        done.push(restored.value);
        await fs.rename(policyFile, `${policyFile}${suffix}`);
      }
      if (hasLogSize) {
        const saved = parseLogSize(new TextDecoder().decode(await fs.readFile(logSizeFile)));
        if (saved === null) return err('bad-backup', `${logSizeFile}: not a Security log size backup`);
        const set = await machine.setSecurityLogMaxSize(saved);
        if (!set.ok) return set;
        done.push(set.value);
        await fs.rename(logSizeFile, `${logSizeFile}${suffix}`);
      }
      return ok(done);
    },
  };
}

function parseLogSize(text: string): number | null {
  try {
    const value = (JSON.parse(text) as { maxSizeBytes?: unknown }).maxSizeBytes;
    return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
  } catch {
    return null;
  }
}
