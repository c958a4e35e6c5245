// The few file operations the audit stage needs, injected so tests can point them anywhere.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

export interface AuditFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: string): Promise<void>;
  remove(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdirp(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** Names in a folder; [] when it does not exist. */
  list(path: string): Promise<string[]>;
}

export function nodeAuditFs(): AuditFs {
  return {
    readFile: (path) => readFile(path),
    writeFile: (path, data) => writeFile(path, data, 'utf8'),
    remove: (path) => rm(path, { force: true }),
    rename: (from, to) => rename(from, to),
    mkdirp: async (path) => void (await mkdir(path, { recursive: true })),
    exists: async (path) => {
      try {
        await stat(path);
        return true;
      } catch {
        return false;
      }
    },
    list: async (path) => {
      try {
        return await readdir(path);
      } catch {
        return [];
      }
    },
  };
}
