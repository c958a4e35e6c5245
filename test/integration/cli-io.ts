// In-process CLI io (the shared helper) for the integration tests, and a temporary folder for config files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export { captureIo } from '../helpers/capture-io.ts';

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
