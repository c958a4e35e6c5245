// Where a filter snapshot comes from, behind one narrow interface: on Windows `netsh wfp show filters
// file=PATH` through an injected command runner; in tests and replay a recorded file.
//
// Why netsh and not the bridge calling FwpmFilterGetById0: netsh gives the whole catalog in one call, with
// provider names and flags, through a process the agent already knows how to run and record; per-id lookups
// would put a P/Invoke surface (FWPM_FILTER0 marshalling) in the bridge for what a refresh on a miss covers.
import type { Result } from '../shared/index.ts';
import { err } from '../shared/index.ts';
import type { FilterSnapshot, SnapshotError } from './filter-snapshot.ts';
import { readFilterSnapshotFile } from './filter-snapshot.ts';

export type ProviderError = SnapshotError | 'command-failed';

export interface FilterSnapshotProvider {
  /** A label for messages (`netsh wfp show filters`, the file path). */
  readonly description: string;
  /** Take a snapshot now. Never throws. */
  take(): Promise<Result<FilterSnapshot, ProviderError>>;
}

export interface CommandOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with arguments (no shell). Must not throw: a failure to start is a non-zero exit. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandOutcome>;

export interface NetshProviderOptions {
  readonly run: CommandRunner;
  /** A fresh temp file path for netsh to write (e.g. under %TEMP%). */
  readonly tempPath: () => string;
  /** Remove the temp file afterwards; errors ignored. */
  readonly remove: (path: string) => void;
}

export function createNetshSnapshotProvider(options: NetshProviderOptions): FilterSnapshotProvider {
  return {
    description: 'netsh wfp show filters',
    async take() {
      const path = options.tempPath();
      try {
        const out = await options.run('netsh', ['wfp', 'show', 'filters', `file=${path}`]);
        if (out.exitCode !== 0) {
          const why = (out.stderr.trim() || out.stdout.trim()).split(/\r?\n/)[0] ?? '';
          return err('command-failed', `netsh wfp show filters exited with ${out.exitCode}${why === '' ? '' : `: ${why}`}`);
        }
        return readFilterSnapshotFile(path);
      } finally {
        options.remove(path);
      }
    },
  };
}

/** A recorded snapshot file, read afresh on every take(). */
export function createFileSnapshotProvider(path: string): FilterSnapshotProvider {
  return {
    description: path,
    take: async () => readFilterSnapshotFile(path),
  };
}
