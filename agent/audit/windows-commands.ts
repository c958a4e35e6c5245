// The exact command lines the audit stage runs, built from validated values only. Pure: a dry run prints
// these, the machine executes them.
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import type { AuditSetting } from './audit-setting.ts';
import { canonicalGuid, isStrictGuid } from '../shared/index.ts';

export interface ToolPaths {
  readonly auditpol: string;
  readonly wevtutil: string;
  readonly reg: string;
}

/** Full paths under %SystemRoot%\System32, so a planted auditpol.exe on PATH is never picked up. */
export function windowsToolPaths(systemRoot: string): ToolPaths {
  const dir = `${systemRoot.replace(/[\\/]+$/, '')}\\System32`;
  return { auditpol: `${dir}\\auditpol.exe`, wevtutil: `${dir}\\wevtutil.exe`, reg: `${dir}\\reg.exe` };
}

export interface PlannedCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export type CommandError = 'bad-guid' | 'bad-path' | 'bad-size';

export function setSubcategoryCommand(
  tools: ToolPaths,
  guid: string,
  setting: AuditSetting,
): Result<PlannedCommand, CommandError> {
  if (!isStrictGuid(guid)) return err('bad-guid', `refused: '${guid}' is not a subcategory GUID of the form {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`);
  const onOff = (b: boolean): string => (b ? 'enable' : 'disable');
  return ok({
    file: tools.auditpol,
    args: ['/set', `/subcategory:${canonicalGuid(guid)}`, `/success:${onOff(setting.success)}`, `/failure:${onOff(setting.failure)}`],
  });
}

export function backupPolicyCommand(tools: ToolPaths, file: string): Result<PlannedCommand, CommandError> {
  const bad = unsafePath(file);
  return bad === null ? ok({ file: tools.auditpol, args: ['/backup', `/file:${file}`] }) : err('bad-path', bad);
}

export function restorePolicyCommand(tools: ToolPaths, file: string): Result<PlannedCommand, CommandError> {
  const bad = unsafePath(file);
  return bad === null ? ok({ file: tools.auditpol, args: ['/restore', `/file:${file}`] }) : err('bad-path', bad);
}

export function readSecurityLogCommand(tools: ToolPaths): PlannedCommand {
  return { file: tools.wevtutil, args: ['gl', 'Security', '/f:xml'] };
}

/** Largest size wevtutil accepts for a log, in bytes (2 TiB - 1 KiB, as the Event Log policy allows). */
export const MAX_LOG_BYTES = 2147483647 * 1024;

export function setSecurityLogSizeCommand(tools: ToolPaths, bytes: number): Result<PlannedCommand, CommandError> {
  if (!Number.isSafeInteger(bytes) || bytes < 1024 * 1024 || bytes > MAX_LOG_BYTES) {
    return err('bad-size', `refused: ${bytes} is not a log size between 1 MiB and 2 TiB in bytes`);
  }
  return ok({ file: tools.wevtutil, args: ['sl', 'Security', `/ms:${bytes}`] });
}

export function regQueryCommand(tools: ToolPaths, key: string, value?: string): PlannedCommand {
  return { file: tools.reg, args: value === undefined ? ['query', key] : ['query', key, '/v', value] };
}

/** A command as one line, arguments with spaces in double quotes (for dry runs and messages). */
export function formatCommand(command: PlannedCommand): string {
  return [command.file, ...command.args].map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
}

/**
 * Why a backup/restore path is refused, or null. Absolute (drive, or `/` for tests off Windows), no quotes,
 * control characters or shell metacharacters: nothing a path the agent builds itself would contain.
 */
export function unsafePath(path: string): string | null {
  if (!/^([A-Za-z]:\\|\/)/.test(path)) return `refused: '${path}' is not an absolute path`;
  if (/[\0-\x1f"*?<>|&^%!]/.test(path)) return `refused: '${path}' contains a quote, control or shell character`;
  return null;
}
