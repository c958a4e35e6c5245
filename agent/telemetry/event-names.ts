// OTel event name per Windows event id (agent/README.md "Record contract").

const NAMES: ReadonlyMap<number, string> = new Map([
  [5031, 'wfp.firewall.app_blocked'],
  [5150, 'wfp.packet.blocked'],
  [5151, 'wfp.packet.blocked'],
  [5152, 'wfp.packet.dropped'],
  [5153, 'wfp.packet.dropped'],
  [5154, 'wfp.listen.allowed'],
  [5155, 'wfp.listen.blocked'],
  [5156, 'wfp.connection.allowed'],
  [5157, 'wfp.connection.blocked'],
  [5158, 'wfp.bind.allowed'],
  [5159, 'wfp.bind.blocked'],
  [5441, 'wfp.filter.present'],
  [5447, 'wfp.filter.changed'],
  [4719, 'windows.audit_policy.changed'],
  [1102, 'windows.security_log.cleared'],
]);

export const UNRECOGNIZED_EVENT_NAME = 'windows.event.unrecognized';

/** Flood control's own records (agent/README.md "Flood control"): one per key per window, one per limited id per window. */
export const PACKET_DROP_SUMMARY_EVENT_NAME = 'wfp.packet.dropped.summary';
export const EVENTS_SUPPRESSED_EVENT_NAME = 'wfp.events.suppressed';

export function eventNameFor(eventId: number): string {
  return NAMES.get(eventId) ?? UNRECOGNIZED_EVENT_NAME;
}

export const EVENT_NAMES: ReadonlyMap<number, string> = NAMES;
