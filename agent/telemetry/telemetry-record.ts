// The record contract: exactly what the agent exports for one event (agent/README.md "Record contract").

/** Lists of strings only for ECS's array fields (event.category, event.type). */
export type AttributeValue = string | number | boolean | readonly string[];

export interface TelemetryRecord {
  /** OTel LogRecord event name, e.g. `wfp.connection.blocked`. */
  readonly eventName: string;
  /** RFC 3339 UTC with the precision the event had. */
  readonly timestamp: string;
  /** OTel severity number (1–24) and text. */
  readonly severityNumber: number;
  readonly severityText: string;
  /** One readable sentence; the attributes carry the data. */
  readonly body: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}
