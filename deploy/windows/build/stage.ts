// The package's files laid out in one folder (the zip's contents and the MSI's INSTALLDIR), then normalized so
// the archives do not depend on the build machine: one mtime (SOURCE_DATE_EPOCH), one mode for files and one
// for folders, entries listed in sorted order.
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface StageEntry {
  /** Package path, forward slashes. */
  readonly to: string;
  /** Copy from this absolute path... */
  readonly from?: string;
  /** ...or write this content. */
  readonly content?: string | Uint8Array;
}

export function writeStage(stageDir: string, entries: readonly StageEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.to)) throw new Error(`two package files at ${entry.to}`);
    seen.add(entry.to);
    const target = join(stageDir, ...entry.to.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    if (entry.from !== undefined) copyFileSync(entry.from, target);
    else if (entry.content !== undefined) writeFileSync(target, entry.content);
    else throw new Error(`${entry.to}: neither a source nor content`);
  }
}

export function resetStage(stageDir: string): void {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
}

/** Package-relative paths of every file under the stage, sorted (byte order). */
export function listStage(stageDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      if (statSync(path).isDirectory()) walk(path, rel);
      else out.push(rel);
    }
  };
  walk(stageDir, '');
  return out.sort();
}

/** Same mode and mtime everywhere (folders last, so writing their files does not move their mtimes again). */
export function normalizeStage(stageDir: string, epochSeconds: number): void {
  const dirs: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        dirs.push(path);
      } else {
        chmodSync(path, 0o644);
        utimesSync(path, epochSeconds, epochSeconds);
      }
    }
  };
  walk(stageDir);
  for (const dir of [...dirs, stageDir]) {
    chmodSync(dir, 0o755);
    utimesSync(dir, epochSeconds, epochSeconds);
  }
}
