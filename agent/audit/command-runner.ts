// The one way the agent runs a Windows tool (auditpol, wevtutil, reg, netsh): no shell, argv passed as is,
// a timeout, output captured. Tests inject an in-process fake with the same interface.
import { execFile } from 'node:child_process';

export interface CommandOutcome {
  /** Exit code; null when the process could not be started or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the timeout ran out and the process was killed. */
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly timeoutMs: number;
}

export interface CommandRunner {
  run(file: string, args: readonly string[], options: RunOptions): Promise<CommandOutcome>;
}

/**
 * Why an argument is refused before any process starts, or null when it is fine. Without a shell nothing is
 * interpreted, but NUL, line breaks and double quotes still change how a Windows program splits its command
 * line, so they never pass.
 */
export function unsafeArgument(arg: string): string | null {
  if (/[\0\r\n]/.test(arg)) return 'contains a control character';
  if (arg.includes('"')) return 'contains a double quote';
  return null;
}

export interface ExecFileRunnerOptions {
  /** Largest stdout/stderr kept, in bytes (default 4 MiB). */
  readonly maxBuffer?: number;
}

/** CommandRunner over `child_process.execFile` (`shell: false`, hidden window on Windows, killed on timeout). */
export function createExecFileRunner(options: ExecFileRunnerOptions = {}): CommandRunner {
  const maxBuffer = options.maxBuffer ?? 4 * 1024 * 1024;
  return {
    run(file, args, { timeoutMs }) {
      const bad = args.map(unsafeArgument).find((r) => r !== null);
      if (bad !== undefined && bad !== null) {
        return Promise.resolve({ code: null, stdout: '', stderr: `refused to run ${file}: an argument ${bad}`, timedOut: false });
      }
      return new Promise((resolve) => {
        execFile(
          file,
          [...args],
          { shell: false, windowsHide: true, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer, encoding: 'utf8' },
          (error, stdout, stderr) => {
            if (error === null) {
              resolve({ code: 0, stdout, stderr, timedOut: false });
              return;
            }
            const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
            const timedOut = e.killed === true && typeof e.code !== 'string';
            const code = typeof e.code === 'number' ? e.code : null;
            const spawnFailure = typeof e.code === 'string' ? `cannot start ${file}: ${e.code}` : '';
            resolve({ code: timedOut ? null : code, stdout, stderr: stderr || spawnFailure, timedOut });
          },
        );
      });
    },
  };
}
