// The counters the agent exports, one per kind of event (agent/README.md "Metrics"). `wfp.connection.blocks` and
// `wfp.packet.drops` are fixed names that dashboards and alert rules rely on; the rest follow their style.
// Chosen per event id once, up front, so the hot path is one Map lookup.

export interface MetricDefinition {
  readonly name: string;
  /** UCUM annotation in braces, as the OTel semantic conventions write counts. */
  readonly unit: string;
  readonly description: string;
  readonly eventIds: readonly number[];
  /** Prometheus name after the OTel → Prometheus translation (dots → `_`, monotonic sum → `_total`). */
  readonly prometheusName: string;
}

function define(name: string, unit: string, description: string, eventIds: readonly number[]): MetricDefinition {
  return Object.freeze({ name, unit, description, eventIds, prometheusName: `${name.replace(/\./g, '_')}_total` });
}

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = Object.freeze([
  define('wfp.connection.blocks', '{connection}', 'Connections blocked by the Windows Filtering Platform (5157).', [5157]),
  define('wfp.packet.drops', '{packet}', 'Packets dropped by the Windows Filtering Platform (5152, 5153).', [5152, 5153]),
  define('wfp.packet.blocks', '{packet}', 'Packets blocked by a WFP filter (5150, 5151).', [5150, 5151]),
  define('wfp.listen.blocks', '{listen}', 'Applications blocked from listening on a port (5155).', [5155]),
  define('wfp.bind.blocks', '{bind}', 'Binds to a local port blocked (5159).', [5159]),
  define('wfp.app.blocks', '{application}', 'Applications the firewall service blocked from accepting incoming connections (5031).', [5031]),
  define('wfp.filter.changes', '{change}', 'WFP filters added or deleted (5447).', [5447]),
  define('wfp.audit_policy.changes', '{change}', 'System audit policy changes (4719).', [4719]),
  define('wfp.log.clears', '{clear}', 'Security log cleared (1102).', [1102]),
]);

const BY_EVENT_ID: ReadonlyMap<number, MetricDefinition> = new Map(
  METRIC_DEFINITIONS.flatMap((d) => d.eventIds.map((id) => [id, d] as const)),
);

/** The counter an event id increments, or null (allowed traffic 5154/5156/5158 and inventory 5441 are not counted). */
export function metricForEventId(eventId: number): MetricDefinition | null {
  return BY_EVENT_ID.get(eventId) ?? null;
}
