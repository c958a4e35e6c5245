// One CLI subcommand. Commands get their I/O injected so tests run them in-process.
import { redactSecrets } from '../shared/index.ts';
import type { Redact } from '../shared/index.ts';

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
 * No output shows a secret (agent/shared/secrets.ts): stdout and stderr both pass `redact`. The process entry
 * (wfp-agent.ts) wraps its real streams once with this; everything a command prints goes through it.
 */
export function redactingIo(io: CliIo, redact: Redact = redactSecrets): CliIo {
  return { ...io, stdout: (t) => io.stdout(redact(t)), stderr: (t) => io.stderr(redact(t)) };
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
