// One CLI subcommand. Commands get their I/O injected so tests run them in-process.
import { redactSecrets } from '../shared/index.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Ran, but something failed (bad records, export failures, drift found in verify mode …). */
export const EXIT_PROBLEMS = 1;
/** Usage or configuration error: nothing was done. */
export const EXIT_USAGE = 2;

export interface Command {
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** Full help text (`wfp-agent NAME --help`). */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/**
 * Diagnostics never show a secret (agent/shared/secrets.ts): stderr is redacted. stdout is the commands' data
 * (records, YAML), left as it is; `config print`, the one that shows settings, redacts its own.
 */
export function redactingIo(io: CliIo): CliIo {
  return { ...io, stderr: (t) => io.stderr(redactSecrets(t)) };
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
