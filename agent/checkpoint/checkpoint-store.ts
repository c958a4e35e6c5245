// Persists how far the exporter acknowledged a channel, so a restart replays instead of losing events.
//
//   ack(upTo) ──► save(recordId) ──► [one write in flight] ──► temp file, fsync, rename
//                       └── later saves while a write runs merge into one pending write (coalesced)
//
// Knows neither Windows nor OpenTelemetry. A missing, corrupt or unreadable file is a reported load result,
// never an exception; a failed write is a result the caller reports, and the next save tries again.
import { join } from 'node:path';
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';
import { formatCheckpoint, parseCheckpoint } from './checkpoint-file.ts';
import type { ChannelCheckpoint } from './checkpoint-file.ts';
import { nodeCheckpointFs } from './checkpoint-fs.ts';
import type { CheckpointFs } from './checkpoint-fs.ts';

export const CHECKPOINT_FILE = 'checkpoint.json';

export type CheckpointLoad =
  | { readonly kind: 'found'; readonly recordId: number; readonly savedAt: string }
  /** The file exists but nothing was acknowledged yet (written at start to prove the folder is writable). */
  | { readonly kind: 'empty'; readonly savedAt: string }
  | { readonly kind: 'missing' }
  /** Unparsable; the file was renamed to `checkpoint.json.corrupt` for diagnosis. */
  | { readonly kind: 'corrupt'; readonly detail: string }
  | { readonly kind: 'unreadable'; readonly detail: string };

export interface CheckpointStore {
  readonly path: string;
  load(): Promise<CheckpointLoad>;
  /**
   * Everything up to and including `recordId` was exported (null: nothing yet). Resolves once a write that
   * includes this value finished, or with why it failed. Never rejects.
   */
  save(recordId: number | null): Promise<Result<void, 'write-failed'>>;
  /** Waits for writes in progress; later saves are refused. Idempotent. */
  shutdown(): Promise<void>;
}

export interface CheckpointStoreOptions {
  readonly dir: string;
  readonly channel?: string;
  readonly fs?: CheckpointFs;
  readonly now?: () => Date;
}

type SaveResult = Result<void, 'write-failed'>;

interface PendingWrite {
  recordId: number | null;
  readonly waiters: ((result: SaveResult) => void)[];
}

class FileCheckpointStore implements CheckpointStore {
  readonly path: string;
  readonly #channel: string;
  readonly #fs: CheckpointFs;
  readonly #now: () => Date;
  /** Entries of other channels found in the file, written back unchanged. */
  #others = new Map<string, ChannelCheckpoint>();
  #pending: PendingWrite | null = null;
  #draining: Promise<void> | null = null;
  #closed = false;

  constructor(options: CheckpointStoreOptions) {
    this.path = join(options.dir, CHECKPOINT_FILE);
    this.#channel = options.channel ?? 'Security';
    this.#fs = options.fs ?? nodeCheckpointFs;
    this.#now = options.now ?? (() => new Date());
  }

  async load(): Promise<CheckpointLoad> {
    let text: string | null;
    try {
      text = await this.#fs.readText(this.path);
    } catch (error) {
      return { kind: 'unreadable', detail: describe(error) };
    }
    if (text === null) return { kind: 'missing' };
    const parsed = parseCheckpoint(text);
    if (!parsed.ok) {
      await this.#fs.setAside(this.path, '.corrupt');
      return { kind: 'corrupt', detail: parsed.detail };
    }
    this.#others = new Map([...parsed.channels].filter(([name]) => name !== this.#channel));
    const entry = parsed.channels.get(this.#channel);
    if (entry === undefined) return { kind: 'missing' };
    if (entry.recordId === null) return { kind: 'empty', savedAt: entry.savedAt };
    return { kind: 'found', recordId: entry.recordId, savedAt: entry.savedAt };
  }

  save(recordId: number | null): Promise<SaveResult> {
    if (this.#closed) return Promise.resolve(err('write-failed', 'the checkpoint store was shut down'));
    return new Promise((resolve) => {
      if (this.#pending === null) this.#pending = { recordId, waiters: [resolve] };
      else {
        this.#pending.recordId = recordId;
        this.#pending.waiters.push(resolve);
      }
      this.#draining ??= this.#drain();
    });
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    await this.#draining;
  }

  async #drain(): Promise<void> {
    while (this.#pending !== null) {
      const job = this.#pending;
      this.#pending = null;
      const result = await this.#write(job.recordId);
      for (const waiter of job.waiters) waiter(result);
    }
    this.#draining = null;
  }

  async #write(recordId: number | null): Promise<SaveResult> {
    const channels = new Map(this.#others);
    channels.set(this.#channel, { recordId, savedAt: this.#now().toISOString() });
    try {
      await this.#fs.writeAtomic(this.path, formatCheckpoint(channels));
      return ok(undefined);
    } catch (error) {
      return err('write-failed', `cannot write ${this.path}: ${describe(error)}`);
    }
  }
}

export function createCheckpointStore(options: CheckpointStoreOptions): CheckpointStore {
  return new FileCheckpointStore(options);
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code !== undefined ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}
