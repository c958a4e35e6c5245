// The contract every source implements (live Windows log, replay files, test arrays).
import type { SourceItem } from '../decode/index.ts';

export type { SourceItem };

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
