// What the running agent writes to `<state_dir>/status.json` for `wfp-agent status` and the fleet scripts
// (deploy/intune, deploy/gpo): plain data, times as ISO 8601 UTC strings, null where not known yet.
export const STATUS_FILE = 'status.json';
export const STATUS_SCHEMA = 1;

export interface ExportStatus {
  /** Last flush the backends acknowledged. */
  readonly last_success_at: string | null;
  readonly last_failure_at: string | null;
  /** The backend's answer to the last failed flush (`HTTP 503 ...`, `connect ECONNREFUSED ...`). */
  readonly last_error: string | null;
  /** Start of the current run of failed flushes; null while exports succeed. */
  readonly failing_since: string | null;
  readonly events_acknowledged: number;
  readonly events_dropped: number;
}

export interface LossReport {
  readonly at: string;
  readonly reason: 'overwritten' | 'cleared';
  /** null: unknown (the log was cleared). */
  readonly possibly_lost: number | null;
  readonly detail: string;
}

export interface AuditStatus {
  readonly mode: string;
  readonly checked_at: string;
  /** Subcategories not as configured (`Filtering Platform Connection {0CCE9226-...}: drift`). */
  readonly drift: readonly string[];
  readonly gpo_managed: boolean | null;
  readonly errors: readonly string[];
}

export interface FilterCatalogStatus {
  /** When the last `netsh wfp show filters` snapshot was taken; null: none yet. */
  readonly snapshot_at: string | null;
  readonly source: string | null;
  readonly filters: number;
  /** The configured refresh interval (0: no periodic refresh), so a reader can tell a stale catalog. */
  readonly refresh_interval_s: number;
}

export interface AgentStatusDocument {
  readonly schema: typeof STATUS_SCHEMA;
  readonly version: string;
  readonly pid: number;
  readonly started_at: string;
  readonly updated_at: string;
  /** How often the agent rewrites the file at least; older than a few of these means it is not running. */
  readonly write_interval_s: number;
  /** Set when the agent stopped cleanly. */
  readonly stopped_at: string | null;
  readonly config: { readonly file: string; readonly origins: Readonly<Record<string, number>> };
  readonly export: ExportStatus;
  readonly lag: { readonly seconds: number | null; readonly records_behind: number | null };
  /** Possible losses seen since start, newest last (at most a few). */
  readonly loss: readonly LossReport[];
  /** null when audit_policy.mode is off or no check ran yet. */
  readonly audit: AuditStatus | null;
  /** null when the catalog is not live (a recorded snapshot, or snapshots off). */
  readonly filters: FilterCatalogStatus | null;
}

/** The file's text → the document, or why it is not one (one line). */
export function parseStatusDocument(text: string): { ok: true; value: AgentStatusDocument } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  if (typeof data !== 'object' || data === null) return { ok: false, error: 'not a JSON object' };
  const d = data as Record<string, unknown>;
  if (d['schema'] !== STATUS_SCHEMA) return { ok: false, error: `schema ${JSON.stringify(d['schema'])}, expected ${STATUS_SCHEMA}` };
  for (const key of ['version', 'started_at', 'updated_at']) {
    if (typeof d[key] !== 'string') return { ok: false, error: `'${key}' missing` };
  }
  for (const key of ['export', 'lag', 'config']) {
    if (typeof d[key] !== 'object' || d[key] === null) return { ok: false, error: `'${key}' missing` };
  }
  if (!Array.isArray(d['loss'])) return { ok: false, error: "'loss' missing" };
  return { ok: true, value: data as AgentStatusDocument };
}
