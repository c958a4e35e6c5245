// One CLI subcommand. Commands get their I/O injected so tests run them in-process.

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

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}
