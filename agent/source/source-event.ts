// Named conditions a live source reports (STYLE §8): the runtime turns each into a counter update and at most
// one log line. Plain data: the source decides, the observer only records.
import type { BridgeLogInfo } from '../bridge/index.ts';

export type SourceEvent =
  | { readonly kind: 'checkpoint-loaded'; readonly recordId: number }
  /** No usable checkpoint (missing, empty, corrupt or unreadable): reading starts at the configured fallback. */
  | { readonly kind: 'checkpoint-unusable'; readonly reason: 'missing' | 'empty' | 'corrupt' | 'unreadable'; readonly detail: string }
  | { readonly kind: 'checkpoint-write-failed'; readonly detail: string }
  | { readonly kind: 'start'; readonly detail: string }
  | { readonly kind: 'log-info'; readonly log: BridgeLogInfo }
  /** Records the log no longer holds were never read (null: count unknown, the log was cleared). */
  | { readonly kind: 'possible-loss'; readonly reason: 'overwritten' | 'cleared'; readonly possiblyLost: number | null; readonly detail: string }
  /** A 1102 arrived while reading: the log was cleared under a running agent. */
  | { readonly kind: 'log-cleared'; readonly recordId: number }
  | { readonly kind: 'paused'; readonly detail: string }
  /** A record the bridge could not render (ToXml failed): skipped, never retried; `count` newly skipped. */
  | { readonly kind: 'render-failed'; readonly recordId: number; readonly count: number; readonly detail: string }
  /** Record ids went backwards while reading: the log was cleared under the running subscription. */
  | { readonly kind: 'numbering-restarted'; readonly fromRecordId: number; readonly detail: string }
  | { readonly kind: 'bridge-error'; readonly detail: string }
  | { readonly kind: 'newest-record'; readonly recordId: number };

export type SourceObserver = (event: SourceEvent) => void;
