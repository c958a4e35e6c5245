// Where the agent keeps its state (checkpoint, audit-policy backup) when the config leaves `state_dir` empty.
import { resolve, win32 } from 'node:path';

export interface StateDirContext {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** `state_dir` as configured, or `%ProgramData%\wfp-block-agent` on Windows and `./.state` elsewhere. */
export function resolveStateDir(configured: string, context: StateDirContext = currentContext()): string {
  // A configured folder follows the host's path rules (node:path is win32 on Windows).
  if (configured !== '') return resolve(context.cwd, configured);
  if (context.platform === 'win32') {
    return win32.join(context.env['ProgramData'] ?? context.env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'wfp-block-agent');
  }
  return resolve(context.cwd, '.state');
}

function currentContext(): StateDirContext {
  return { platform: process.platform, env: process.env, cwd: process.cwd() };
}
