// Flood control's records (agent/README.md "Flood control"): a packet-drop summary per key per window, and one
// record per rate-limited event id per window saying how many events were kept out of the logs.
import type { WfpEvent } from '../interpret/index.ts';
import type { EventEnrichment } from '../enrich/index.ts';
import type { AttributeValue, TelemetryRecord } from './telemetry-record.ts';
import { EVENTS_SUPPRESSED_EVENT_NAME, PACKET_DROP_SUMMARY_EVENT_NAME, eventNameFor } from './event-names.ts';
import { RECORD_UID_NAMESPACE, uuidV5 } from './record-uid.ts';

const UID_NAMESPACE = Buffer.from(RECORD_UID_NAMESPACE.replaceAll('-', ''), 'hex');

/**
 * A window record's `log.record.uid`: UUID v5 of its event name and the uid of the first event it counts (that
 * event is in exactly one such record), so the same window sent again after a crash has the same uid.
 */
function setUid(a: Record<string, AttributeValue>, eventName: string, first: TelemetryRecord): void {
  const uid = first.attributes['log.record.uid'];
  if (typeof uid === 'string') a['log.record.uid'] = uuidV5(UID_NAMESPACE, `${eventName}\n${uid}`);
}

/** Events of one key in one window: how many, the earliest and latest event time, the first record read. */
export interface WindowTally {
  count: number;
  /** RFC 3339 as the events had it; '' when the events had no time. */
  firstTime: string;
  lastTime: string;
  firstTimeMs: number;
  lastTimeMs: number;
  /** EventRecordID of the first event counted (null when the source gives none, e.g. shipper JSON). */
  readonly firstRecordId: number | null;
}

/** A new tally from the first event of a key: its time (RFC 3339 as the event had it) and record id. */
export function startTally(time: string, recordId: number | null): WindowTally {
  const ms = Date.parse(time);
  return { count: 1, firstTime: time, lastTime: time, firstTimeMs: ms, lastTimeMs: ms, firstRecordId: recordId };
}

/** Count one more event (its time) into `t` (earliest and latest by time; events without a time only count). */
export function addToTally(t: WindowTally, time: string): void {
  t.count++;
  // Events of a flood arrive in time order, mostly within one second: the same text needs no parse.
  if (time === t.lastTime) return;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return;
  if (Number.isNaN(t.firstTimeMs) || ms < t.firstTimeMs) {
    t.firstTimeMs = ms;
    t.firstTime = time;
  }
  if (Number.isNaN(t.lastTimeMs) || ms > t.lastTimeMs) {
    t.lastTimeMs = ms;
    t.lastTime = time;
  }
}

/** With telemetry.ecs, every record (summaries and suppression counts too) keeps the dataset Elastic routes by. */
const ECS_ROUTING = ['event.module', 'event.dataset', 'data_stream.dataset'] as const;

function copy(a: Record<string, AttributeValue>, from: TelemetryRecord, keys: readonly string[]): void {
  for (const k of keys) {
    const v = from.attributes[k];
    if (v !== undefined) a[k] = v;
  }
}

/** Attributes that are the same for every event of a summary key, copied from its first record. */
const KEY_ATTRIBUTES = [
  'windows.event.id',
  'windows.event.provider',
  'windows.event.channel',
  'host.name',
  'wfp.direction',
  'wfp.outcome',
  'network.transport',
  'wfp.protocol.number',
  'wfp.protocol.name',
  'network.local.port',
  'process.executable.path',
  'process.executable.name',
  'wfp.application.nt_path',
  'wfp.application.path_mapping',
  'wfp.layer.name',
  'wfp.layer.code',
  'wfp.layer.id',
  'wfp.filter.id',
  'wfp.filter.name',
  'wfp.filter.provider',
  'wfp.filter.action',
  'security_rule.name',
  'security_rule.ruleset.name',
  'wfp.block.kind',
  // With telemetry.ecs: the ECS fields that are the same for every event of the key (routing and grouping in Elastic).
  ...ECS_ROUTING,
  'event.kind',
  'event.code',
  'event.provider',
  'event.action',
  'event.category',
  'event.type',
  'event.outcome',
  'network.direction',
  'network.iana_number',
  'rule.id',
  'rule.uuid',
  'rule.name',
  'rule.ruleset',
  'process.executable',
  'process.name',
] as const;

/**
 * The summary key of a packet drop: host, event id, direction, layer, protocol, application, local port, filter.
 * Read from the event, not its record, so a drop that is only counted into a summary needs no record built
 * (that was 15% of the agent's CPU in a packet-drop flood, bench:flood). The fields are the ones its record's
 * KEY_ATTRIBUTES derive from (to-telemetry-record.ts), so two drops share a key exactly when their records
 * agree on those attributes (checked over the bundled events in summary-records.test.ts).
 */
export function packetDropKey(event: WfpEvent, enrichment: EventEnrichment): string {
  const raw = event.raw;
  const b = event.body;
  if (b.type !== 'network') return `${raw.computer}\u0000${raw.eventId}`;
  const rawPath = b.application.raw;
  const path = rawPath === '' || rawPath === '-' ? '' : enrichment.executablePath || rawPath;
  return [
    raw.computer,
    raw.eventId,
    b.directionCode === null ? '' : b.direction,
    b.layer.code ?? b.layer.name ?? b.layer.raw,
    b.protocol.number ?? '',
    path,
    b.sides.local.port ?? '',
    b.filterRtId ?? '',
  ].join('\u0000');
}

const INFO = { number: 9, text: 'INFO' } as const;

function tallyAttributes(a: Record<string, AttributeValue>, t: WindowTally, windowS: number): void {
  a['wfp.summary.count'] = t.count;
  if (t.firstTime !== '') a['wfp.summary.first_time'] = t.firstTime;
  if (t.lastTime !== '') a['wfp.summary.last_time'] = t.lastTime;
  if (t.firstRecordId !== null) a['wfp.summary.first_record_id'] = t.firstRecordId;
  a['wfp.summary.window_s'] = windowS;
}

function between(t: WindowTally): string {
  if (t.firstTime === '') return '';
  return t.firstTime === t.lastTime ? ` at ${t.firstTime}` : ` between ${t.firstTime} and ${t.lastTime}`;
}

/** One summary record for the packet drops of one key in one window (`first`: that key's first record). */
export function toPacketDropSummaryRecord(first: TelemetryRecord, t: WindowTally, windowS: number): TelemetryRecord {
  const a: Record<string, AttributeValue> = {};
  setUid(a, PACKET_DROP_SUMMARY_EVENT_NAME, first);
  copy(a, first, KEY_ATTRIBUTES);
  tallyAttributes(a, t, windowS);
  const direction = typeof a['wfp.direction'] === 'string' ? `${a['wfp.direction']} ` : '';
  const proto = String(a['wfp.protocol.name'] ?? (a['wfp.protocol.number'] === undefined ? '' : `protocol ${a['wfp.protocol.number']}`)).toUpperCase();
  const app = a['process.executable.name'] ?? 'no application';
  const port = a['network.local.port'] === undefined ? '' : ` on local port ${a['network.local.port']}`;
  const filter = a['wfp.filter.name'] !== undefined ? `filter "${a['wfp.filter.name']}"` : a['wfp.filter.id'] ? `filter ${a['wfp.filter.id']}` : 'no filter id';
  const what = `${direction}${proto === '' ? '' : `${proto} `}packet${t.count === 1 ? '' : 's'}`;
  return {
    eventName: PACKET_DROP_SUMMARY_EVENT_NAME,
    timestamp: t.firstTime,
    severityNumber: INFO.number,
    severityText: INFO.text,
    body: `Dropped ${t.count} ${what} of ${app}${port}${between(t)} (layer ${a['wfp.layer.name'] ?? 'unknown'}, ${filter}; one summary per ${windowS} s window).`,
    attributes: a,
  };
}

/** The packet drops of keys beyond `aggregate_max_keys` in one window, counted together (`first`: the first of them). */
export function toPacketDropOverflowRecord(first: TelemetryRecord, t: WindowTally, windowS: number, maxKeys: number): TelemetryRecord {
  const a: Record<string, AttributeValue> = {};
  setUid(a, PACKET_DROP_SUMMARY_EVENT_NAME, first);
  copy(a, first, ['host.name', ...ECS_ROUTING]);
  a['wfp.outcome'] = 'dropped';
  a['wfp.summary.overflow'] = true;
  a['wfp.summary.max_keys'] = maxKeys;
  tallyAttributes(a, t, windowS);
  return {
    eventName: PACKET_DROP_SUMMARY_EVENT_NAME,
    timestamp: t.firstTime,
    severityNumber: 13,
    severityText: 'WARN',
    body: `Dropped ${t.count} more packets${between(t)} whose keys did not fit in this window's ${maxKeys} summaries (events.aggregate_max_keys); the metrics count them all.`,
    attributes: a,
  };
}

/** How many events of one id a rate limit kept out of the logs in one window (`first`: the first of them). */
export function toSuppressedRecord(eventId: number, first: TelemetryRecord, t: WindowTally, windowS: number, perSecond: number): TelemetryRecord {
  const a: Record<string, AttributeValue> = { 'windows.event.id': eventId };
  setUid(a, EVENTS_SUPPRESSED_EVENT_NAME, first);
  copy(a, first, ['host.name', ...ECS_ROUTING]);
  a['wfp.suppressed.event_name'] = eventNameFor(eventId);
  a['wfp.suppressed.limit_per_s'] = perSecond;
  tallyAttributes(a, t, windowS);
  return {
    eventName: EVENTS_SUPPRESSED_EVENT_NAME,
    timestamp: t.firstTime,
    severityNumber: 13,
    severityText: 'WARN',
    body: `${t.count} event${t.count === 1 ? '' : 's'} ${eventId} not logged${between(t)}: over the rate limit of ${perSecond} per second (events.rate_limits); the metrics count them all.`,
    attributes: a,
  };
}
