// The bound on a stop: once `signal` aborts, `work` (flush the batch in hand, write the checkpoint, shut the
// exporters down) gets `timeoutMs` to finish. A service manager waits only so long before it kills the process,
// and a kill loses the log line saying why; so past the bound the caller exits on its own, saying so.

export type BoundedStop<T> = { readonly kind: 'finished'; readonly value: T } | { readonly kind: 'cut'; readonly afterMs: number };

export interface StopTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: StopTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** `work`'s result, or 'cut' when it is still running `timeoutMs` after `signal` aborted. Never rejects for a cut. */
export function boundStop<T>(work: Promise<T>, signal: AbortSignal, timeoutMs: number, timers: StopTimers = REAL_TIMERS): Promise<BoundedStop<T>> {
  return new Promise<BoundedStop<T>>((resolve, reject) => {
    let timer: unknown = null;
    const arm = (): void => {
      timer = timers.setTimeout(() => resolve({ kind: 'cut', afterMs: timeoutMs }), timeoutMs);
    };
    const settle = (): void => {
      signal.removeEventListener('abort', arm);
      if (timer !== null) timers.clearTimeout(timer);
    };
    if (signal.aborted) arm();
    else signal.addEventListener('abort', arm, { once: true });
    work.then(
      (value) => {
        settle();
        resolve({ kind: 'finished', value });
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}
