// The file operations the checkpoint needs, injectable so tests can make writes fail.
// writeAtomic: write a temp file beside the target, fsync it, rename over the target, then fsync the folder
// (where the OS allows opening one; Windows does not, and its rename is already durable with NTFS journaling).
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface CheckpointFs {
  /** The file's text, or null when it does not exist. Other errors reject. */
  readText(path: string): Promise<string | null>;
  writeAtomic(path: string, text: string): Promise<void>;
  /** Keep a copy of an unreadable file for diagnosis (best effort). */
  setAside(path: string, suffix: string): Promise<void>;
}

export const nodeCheckpointFs: CheckpointFs = {
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
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncFolder(dirname(path));
  },
  async setAside(path, suffix) {
    await rename(path, `${path}${suffix}`).catch(() => undefined);
  },
};

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
