// The `source` section: how the live Security-log source reads. Defaults live in config/agent.schema.json.
import type { StartPosition } from '../source/index.ts';

export interface SourceConfig {
  /** checkpoint | end | beginning | an ISO 8601 time. */
  readonly start_position: string;
  readonly batch_size: number;
  readonly max_delay_ms: number;
  readonly queue_bound: number;
  readonly backoff_initial_ms: number;
  readonly backoff_max_ms: number;
  /** Longest a stop may take to flush and checkpoint before the agent exits anyway. */
  readonly stop_timeout_ms: number;
}

/** The schema's pattern already admits only these forms; the time form is checked by Date.parse here. */
export function toStartPosition(value: string): StartPosition {
  if (value === 'checkpoint' || value === 'end' || value === 'beginning') return { kind: value };
  if (Number.isNaN(Date.parse(value))) return { kind: 'checkpoint' };
  return { kind: 'time', time: new Date(value).toISOString() };
}
