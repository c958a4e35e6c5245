// How `wfp-agent run` learns that it should stop. Console signals: SIGINT (Ctrl+C), SIGTERM (service managers
// on Linux), SIGBREAK (Ctrl+Break and console close on Windows, where SIGTERM never arrives). A Windows service has
// no console to signal, so with --stop-on-stdin-eof the end of standard input stops the agent too: the service
// host (WfpAgentService.exe) closes the pipe it gave as stdin. Each listener fires once; a second Ctrl+C finds
// Node's default handler again and ends the process at once.
import type { Readable } from 'node:stream';

export type StopReason = 'SIGINT' | 'SIGTERM' | 'SIGBREAK' | 'stdin-eof';

/** The part of `process` the channel listens on. */
export interface SignalEmitter {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

export interface StopChannelOptions {
  readonly signals: SignalEmitter;
  /** Signal names this platform delivers (os.constants.signals keys); others are not listened for. */
  readonly available: readonly string[];
  /** Standard input when --stop-on-stdin-eof is given, otherwise null. */
  readonly stdin: Readable | null;
}

export interface StopChannel {
  /** Aborts once, with the StopReason as its reason. */
  readonly signal: AbortSignal;
  /** Stops listening (and reading stdin) so nothing keeps the process alive. */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGBREAK'] as const;

export function createStopChannel(options: StopChannelOptions): StopChannel {
  const controller = new AbortController();
  const listeners = new Map<string, () => void>();
  for (const name of SIGNALS) {
    if (!options.available.includes(name)) continue;
    const listener = (): void => stop(name);
    listeners.set(name, listener);
    options.signals.once(name, listener);
  }
  const stdin = options.stdin;
  const onEnd = (): void => stop('stdin-eof');
  // Whatever arrives on stdin is ignored; only its end matters. An error reading it (the host died and the pipe
  // broke) is an end too: nobody is left to stop the agent otherwise.
  const discard = (): void => undefined;
  if (stdin !== null) {
    stdin.on('data', discard);
    stdin.once('end', onEnd);
    stdin.once('close', onEnd);
    stdin.once('error', onEnd);
    stdin.resume();
  }
  function stop(reason: StopReason): void {
    if (!controller.signal.aborted) controller.abort(reason);
  }
  return {
    signal: controller.signal,
    dispose() {
      for (const [name, listener] of listeners) options.signals.off(name, listener);
      listeners.clear();
      if (stdin !== null) {
        stdin.off('data', discard);
        stdin.off('end', onEnd);
        stdin.off('close', onEnd);
        stdin.off('error', onEnd);
        stdin.pause();
      }
    },
  };
}

/** A one-line description of why the agent stops, for its log. */
export function describeStopReason(reason: unknown): string {
  switch (reason) {
    case 'stdin-eof':
      return 'standard input closed (--stop-on-stdin-eof)';
    case 'SIGINT':
    case 'SIGTERM':
    case 'SIGBREAK':
      return reason;
    default:
      return 'stop requested';
  }
}
