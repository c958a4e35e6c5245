// An in-memory CliIo for running commands in-process.
import type { CliIo } from '../../agent/cli/command.ts';

export function captureIo(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env,
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}
