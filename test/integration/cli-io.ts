// In-process CLI io for the integration tests, and a temporary config file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface TempDir {
  readonly path: string;
  write(name: string, text: string): string;
  remove(): void;
}

export function tempDir(prefix = 'wfp-export-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(name, text) {
      const file = join(path, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
