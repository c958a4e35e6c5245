// The narrow TS side of the C# bridge (agent/bridge/dotnet). The Windows source talks only to this
// interface; edge-bridge-host.ts implements it with edge-js, tests with a fake that speaks the same protocol.
//
//   start(options, onMessage) ──► C# session ──► onMessage({type:'records'|'status'}) ──► answer ──► next message
//
// The bridge sends one records batch at a time and waits for the answer before the next: answering late is the
// backpressure (the C# queue fills, the watcher waits, the event log keeps the events). While a batch's answer
// is held, reports (status skipped, paused, error) arrive in a second, concurrent call; subscribing and
// restarted always wait for their turn between batches.

export interface BridgeStartOptions {
  readonly channel: string;
  readonly eventIds: readonly number[];
  readonly start:
    | { readonly mode: 'after'; readonly recordId: number }
    | { readonly mode: 'beginning' }
    | { readonly mode: 'since'; readonly time: string };
  readonly batchSize: number;
  readonly maxDelayMs: number;
  readonly queueBound: number;
  readonly resumeBelow: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly stopTimeoutMs: number;
}

export interface BridgeLogInfo {
  /** -1 when the log is empty. */
  readonly oldestRecordId: number;
  readonly newestRecordId: number;
  readonly recordCount: number;
  readonly fileSizeBytes: number;
  readonly maxSizeBytes: number;
  /** overwrite | archive | keep | unknown */
  readonly retention: string;
  readonly isFull: boolean;
  readonly lastWriteUtc: string;
}

export interface BridgeRecords {
  readonly type: 'records';
  readonly recordIds: readonly number[];
  readonly xml: readonly string[];
  /** The log's newest record number when the batch was sent (-1 unknown), for the lag metric. */
  readonly newestRecordId: number;
}

export interface BridgeStatus {
  readonly type: 'status';
  /**
   * subscribing: about to (re)subscribe after `resumeAfter` (-1: from the configured start), `log` read just before.
   * skipped: record `resumeAfter` could not be rendered and was skipped (`skippedTotal` so far).
   * restarted: record numbering went back below `resumeAfter` while reading (the log was cleared).
   */
  readonly state: 'subscribing' | 'paused' | 'error' | 'skipped' | 'restarted';
  readonly detail: string;
  readonly resumeAfter: number;
  readonly log: BridgeLogInfo | null;
  /** skipped: records skipped so far in this session (cumulative, so a dropped status loses no count). */
  readonly skippedTotal?: number;
}

export type BridgeMessage = BridgeRecords | BridgeStatus;

/** The answer to a message. `stop` ends the C# session. */
export interface BridgeAnswer {
  readonly ok: true;
  readonly stop?: boolean;
}

export type BridgeCallResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface BridgeHost {
  /** Starts the C# session; messages then arrive at `onMessage` (a report may come while a batch is unanswered). */
  start(options: BridgeStartOptions, onMessage: (message: BridgeMessage) => Promise<BridgeAnswer>): Promise<BridgeCallResult<void>>;
  logInfo(channel: string): Promise<BridgeCallResult<BridgeLogInfo>>;
  /** Drive letter ("C:") to NT device path ("\Device\HarddiskVolume3"). */
  driveMap(): Promise<BridgeCallResult<Readonly<Record<string, string>>>>;
  /** Stops the session (waits at most stopTimeoutMs in C#); idempotent. */
  stop(): Promise<void>;
}
