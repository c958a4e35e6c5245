// The file operations the checkpoint needs, injectable so tests can make writes fail.
// writeAtomic: write a temp file beside the target, fsync it, rename over the target, then fsync the folder
// (where the OS allows opening one; Windows does not, and its rename is already durable with NTFS journaling).
// Node's rename on Windows is one MoveFileExW without retry; antivirus, backup and indexing tools hold files
// for a moment, and the rename then fails with EPERM, EBUSY or EACCES: it is retried with a short backoff
// (about 3 s in total) before the write counts as failed, so a transient lock never reads as "not writable".
import { mkdir, open, readFile, rename as fsRename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Error codes of a file held open by another process for a moment (Windows sharing violations). */
const TRANSIENT_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** Waits between rename attempts: 3.1 s in total. */
export const RENAME_RETRY_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 160, 320, 500, 1000, 1000];

export interface NodeCheckpointFsOptions {
  readonly rename?: (from: string, to: string) => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retryDelaysMs?: readonly number[];
}

/** Renames, retrying transient sharing errors with `delays`; the last error when they did not clear. */
export async function renameWithRetry(
  from: string,
  to: string,
  rename: (from: string, to: string) => Promise<void>,
  sleep: (ms: number) => Promise<void>,
  delays: readonly number[] = RENAME_RETRY_DELAYS_MS,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const delay = delays[attempt];
      if (!TRANSIENT_CODES.has(code) || delay === undefined) throw error;
      await sleep(delay);
    }
  }
}

export interface CheckpointFs {
  /** The file's text, or null when it does not exist. Other errors reject. */
  readText(path: string): Promise<string | null>;
  writeAtomic(path: string, text: string): Promise<void>;
  /** Keep a copy of an unreadable file for diagnosis (best effort). */
  setAside(path: string, suffix: string): Promise<void>;
}

export function createNodeCheckpointFs(options: NodeCheckpointFsOptions = {}): CheckpointFs {
  const rename = options.rename ?? fsRename;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delays = options.retryDelaysMs ?? RENAME_RETRY_DELAYS_MS;
  return {
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async writeAtomic(path, text) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.tmp`;
      const handle = await open(temp, 'w', 0o644);
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await renameWithRetry(temp, path, rename, sleep, delays);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      await syncFolder(dirname(path));
    },
    async setAside(path, suffix) {
      await renameWithRetry(path, `${path}${suffix}`, rename, sleep, delays).catch(() => undefined);
    },
  };
}

export const nodeCheckpointFs: CheckpointFs = createNodeCheckpointFs();

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
