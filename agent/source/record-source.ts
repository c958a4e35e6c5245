// The contract every source implements (live Windows log, replay files, test arrays).

/** One event's text as the source delivered it, before decoding. */
export interface SourceItem {
  /**
   * One event's text. Surrounding whitespace is not significant and may differ from the input (the replay
   * splitter gives each XML event its own string with a leading space; see split-events.ts for why).
   */
  readonly text: string;
  readonly format: 'xml' | 'json';
  /** EventRecordID when the source knows it without decoding (live), else null. */
  readonly recordId: number | null;
  /** Input name and 1-based position, for error messages. */
  readonly file: string;
  readonly position: number;
  /** 1-based line where the item starts in its file, when known (for error messages). */
  readonly line?: number;
}

export interface SourceBatch {
  readonly items: readonly SourceItem[];
  /** True when the source has nothing more and never will (end of replay input). */
  readonly done: boolean;
}

export type StartPosition =
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'end' }
  | { readonly kind: 'beginning' }
  | { readonly kind: 'time'; readonly time: string };

export interface RecordSource {
  /** Resolves with up to `max` items; an empty, not-done batch means "nothing yet" after the source's own wait. */
  read(max: number, signal: AbortSignal): Promise<SourceBatch>;
  /** Everything up to and including this record id (or replay position) was exported and may be forgotten. */
  ack(upTo: number): Promise<void>;
  shutdown(): Promise<void>;
}
