import type { EventsConfig } from '../config/index.ts';

export const ALLOWED_TRAFFIC_IDS: readonly number[] = [5154, 5156, 5158];
export const PACKET_DROP_IDS: readonly number[] = [5152, 5153];

/** The event ids the agent reads under this config: `collect`, plus allowed traffic when opted in, less drops when off. */
export function collectedEventIds(events: EventsConfig): ReadonlySet<number> {
  const ids = new Set(events.collect);
  if (events.include_allowed) for (const id of ALLOWED_TRAFFIC_IDS) ids.add(id);
  if (events.packet_drops === 'off') for (const id of PACKET_DROP_IDS) ids.delete(id);
  return ids;
}
