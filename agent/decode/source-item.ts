// The decoder's input: one event's text as a source delivered it (defined here, below the sources, so that
// source → decode is the only direction between the two stages).

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
