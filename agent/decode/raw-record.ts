// The decoder's output: one Windows event as text fields, independent of the form it arrived in
// (event XML from Windows or evtx converters, or a JSON line from a log shipper).

/** Where a record came from, for error messages and the replay checkpoint. */
export interface RecordOrigin {
  /** File name, or a source label such as `security-log`. */
  readonly file: string;
  /** 1-based position of the record in that input (record n of the file, or line n of a JSON-lines file). */
  readonly position: number;
}

export interface RawRecord {
  /** Provider name, e.g. `Microsoft-Windows-Security-Auditing`. */
  readonly provider: string;
  /** Provider GUID in upper case with braces, or '' when the input lacks it. */
  readonly providerGuid: string;
  readonly eventId: number;
  /** Event version; 0 when absent. */
  readonly version: number;
  readonly level: number | null;
  readonly task: number | null;
  readonly opcode: number | null;
  /** Keywords as `0x…` hex (16 digits), or '' when absent. */
  readonly keywords: string;
  /** EventRecordID; null when the input does not carry one (some shipper exports). */
  readonly recordId: number | null;
  /**
   * Time as an RFC 3339 UTC string with the full precision the input had (Windows: 7 fraction digits,
   * evtx converters: 9). '' when the input has no usable time.
   */
  readonly time: string;
  /** How `time` was obtained: `exact` from SystemTime/ISO with zone, `derived` or `assumed-utc` from shipper fields. */
  readonly timeQuality: 'exact' | 'derived' | 'assumed-utc' | 'missing';
  readonly computer: string;
  readonly channel: string;
  /** System/Execution process id (the process that logged, usually 4 or lsass), or null. */
  readonly executionProcessId: number | null;
  readonly executionThreadId: number | null;
  /** EventData `Data Name=…` values by name (or UserData's child elements). Values are the text, unescaped. */
  readonly data: Readonly<Record<string, string>>;
  /** For UserData events, the name of the element under UserData (e.g. `LogFileCleared`); else ''. */
  readonly userDataName: string;
  /** English rendered message when the input carried one (shipper JSON); never used for meaning. */
  readonly message: string;
  readonly origin: RecordOrigin;
}
