// Where the agent keeps its state (checkpoint, audit-policy backup): `state_dir` from the config, or the
// platform default when it is empty. One rule for every stage that writes there.
import { isAbsolute, join, win32 } from 'node:path';

export interface StateDirContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Empty: %ProgramData%\wfp-block-agent on Windows, ./.state elsewhere. Relative paths are taken from cwd. */
export function resolveStateDir(configured: string, context: StateDirContext = currentContext()): string {
  if (context.platform === 'win32') {
    if (configured === '') {
      return win32.join(context.env['ProgramData'] ?? context.env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'wfp-block-agent');
    }
    return win32.isAbsolute(configured) ? configured : win32.join(context.cwd, configured);
  }
  if (configured === '') return join(context.cwd, '.state');
  return isAbsolute(configured) ? configured : join(context.cwd, configured);
}

/** A file in the state dir, joined in the dir's own style (a `C:\…` dir stays Windows-style on any OS). */
export function statePath(dir: string, name: string): string {
  return /^[A-Za-z]:\\/.test(dir) ? win32.join(dir, name) : join(dir, name);
}

function currentContext(): StateDirContext {
  return { platform: process.platform, env: process.env, cwd: process.cwd() };
}
