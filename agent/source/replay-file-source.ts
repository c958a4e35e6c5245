// Replay: event files (event XML in any wrapping, JSON lines) as a RecordSource, for backfill, analysis on
// any OS, `explain`, `replay`, `demo` and tests. File-level problems (unreadable, binary .evtx) are reported
// through `onProblem` and the other files go on.
import { readFileSync } from 'node:fs';
import { readInput, splitEvents } from '../decode/index.ts';
import type { RecordSource, SourceBatch, SourceItem } from './record-source.ts';

export interface ReplayFileProblem {
  readonly file: string;
  readonly detail: string;
}

export interface LoadedReplayFile {
  readonly items: readonly SourceItem[];
  /** Whole-file problems: unreadable, binary, undecodable encoding. */
  readonly problems: readonly ReplayFileProblem[];
  /** Non-fatal notes, e.g. the encoding was guessed. */
  readonly warnings: readonly ReplayFileProblem[];
}

export function loadReplayFile(path: string, readFile: (p: string) => Uint8Array = readFileSync): LoadedReplayFile {
  let bytes: Uint8Array;
  try {
    bytes = readFile(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : (e.code ?? e.message);
    return { items: [], problems: [{ file: path, detail: `cannot read the file (${why})` }], warnings: [] };
  }
  const text = readInput(bytes);
  if (!text.ok) return { items: [], problems: [{ file: path, detail: text.detail }], warnings: [] };
  return { items: splitEvents(text.text, path), problems: [], warnings: text.warnings.map((detail) => ({ file: path, detail })) };
}

export interface ReplayFileSourceOptions {
  readonly onProblem?: (problem: ReplayFileProblem) => void;
  readonly readFile?: (p: string) => Uint8Array;
}

export interface ReplayFileSource extends RecordSource {
  /** Items handed out so far, and acknowledged so far (replay positions are 1-based counts). */
  readonly delivered: number;
  readonly acknowledged: number;
}

/** Files are read one at a time, when the previous one is used up, so memory holds one file's items. */
export function createReplayFileSource(paths: readonly string[], options: ReplayFileSourceOptions = {}): ReplayFileSource {
  let fileIndex = 0;
  let pending: readonly SourceItem[] = [];
  let offset = 0;
  let delivered = 0;
  let acknowledged = 0;
  let closed = false;
  const nextFile = (): boolean => {
    while (fileIndex < paths.length) {
      const loaded = loadReplayFile(paths[fileIndex++]!, options.readFile);
      for (const p of [...loaded.problems, ...loaded.warnings]) options.onProblem?.(p);
      if (loaded.items.length > 0) {
        pending = loaded.items;
        offset = 0;
        return true;
      }
    }
    return false;
  };
  return {
    get delivered() {
      return delivered;
    },
    get acknowledged() {
      return acknowledged;
    },
    async read(max: number, signal: AbortSignal): Promise<SourceBatch> {
      if (closed || signal.aborted) return { items: [], done: true };
      if (offset >= pending.length && !nextFile()) return { items: [], done: true };
      const items = pending.slice(offset, offset + Math.max(1, max));
      offset += items.length;
      delivered += items.length;
      const done = offset >= pending.length && fileIndex >= paths.length;
      return { items, done };
    },
    async ack(upTo: number): Promise<void> {
      if (upTo > acknowledged) acknowledged = Math.min(upTo, delivered);
    },
    async shutdown(): Promise<void> {
      closed = true;
      pending = [];
    },
  };
}
