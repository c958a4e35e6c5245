// Writes the tracker's document to `<state_dir>/status.json`: atomically (temp file + rename, as the
// checkpoint), every `intervalMs`, and at once after a change (a burst while a write is in flight costs one
// more write, not one each). A failed
// write is reported once per distinct error and never stops the agent. Every string in the document passes
// `redact` first: export errors quote the backend's answer, which may echo the request's headers.
import { redactDeep, UNREF_TIMERS } from '../shared/index.ts';
import type { Redact, Timers } from '../shared/index.ts';
import type { StatusTracker } from './status-tracker.ts';

export interface StatusWriterOptions {
  readonly tracker: StatusTracker;
  readonly path: string;
  readonly writeAtomic: (path: string, text: string) => Promise<void>;
  readonly intervalMs: number;
  /** Applied to every string of the document (agent/shared/secrets.ts redactSecrets in the agent). */
  readonly redact: Redact;
  readonly timers?: Timers;
  readonly onError?: (line: string) => void;
}

export interface StatusWriter {
  /** Writes once now, then on the timer and on changes. */
  start(): Promise<void>;
  /** Writes now (waits for a write in flight first). */
  write(): Promise<void>;
  /** Marks the agent stopped, writes a last time and stops the timers. */
  stop(): Promise<void>;
}

export function createStatusWriter(options: StatusWriterOptions): StatusWriter {
  const timers = options.timers ?? UNREF_TIMERS;
  let interval: unknown = null;
  let queued: Promise<void> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let lastError = '';
  let stopped = false;

  const write = (): Promise<void> => {
    chain = chain.then(async () => {
      const text = `${JSON.stringify(redactDeep(options.tracker.document(), options.redact), null, 2)}\n`;
      try {
        await options.writeAtomic(options.path, text);
        lastError = '';
      } catch (error) {
        const line = `Writing ${options.path} failed; 'wfp-agent status' shows older state. error=${(error as Error).message}`;
        if (line !== lastError) options.onError?.(line);
        lastError = line;
      }
    });
    return chain;
  };

  options.tracker.onChange(() => {
    if (stopped || interval === null || queued !== null) return;
    queued = write().finally(() => {
      queued = null;
    });
  });

  return {
    async start() {
      await write();
      if (!stopped) interval = timers.setInterval(() => void write(), options.intervalMs);
    },
    write,
    async stop() {
      if (interval !== null) timers.clearInterval(interval);
      interval = null;
      options.tracker.stopped();
      stopped = true;
      await write();
    },
  };
}
