// One JSON object as log shippers export Windows events -> RawRecord.
// Shapes handled: NXLog im_msvistalog / Logstash (EventData fields at the top level beside the shipper's
// own), and Winlogbeat / Elastic (`winlog.event_id`, `winlog.event_data`, …).
import type { RawRecord, RecordOrigin } from './raw-record.ts';
import type { DecodeResult } from './decode-result.ts';
import { oneLineDetail } from './decode-result.ts';
import { readDateTime } from '../shared/index.ts';
import { normalizeGuid, normalizeKeywords, normalizeTime, toIntOrNull } from './normalize.ts';

/** Top-level keys that NXLog/Logstash add; everything else at the top level is EventData. */
const SHIPPER_KEYS = new Set([
  '@timestamp', '@version', 'AccountName', 'AccountType', 'ActivityID', 'Category', 'Channel', 'Domain',
  'EventID', 'EventReceivedTime', 'EventTime', 'EventType', 'ExecutionProcessID', 'Hostname', 'Keywords',
  'Level', 'Message', 'Opcode', 'OpcodeValue', 'ProviderGuid', 'RecordNumber', 'RelatedActivityID',
  'Severity', 'SeverityValue', 'SourceModuleName', 'SourceModuleType', 'SourceName', 'Task', 'ThreadID',
  'TimeCreated', 'UserID', 'Version', 'host', 'port', 'tags', 'EventRecordID', 'Computer',
]);

type Json = Record<string, unknown>;

export function decodeJsonEvent(text: string, origin: RecordOrigin): DecodeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return bad('malformed-json', (error as Error).message, origin);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return bad('not-an-event', 'the JSON value is not an object', origin);
  }
  const o = parsed as Json;
  const winlog = o['winlog'];
  return typeof winlog === 'object' && winlog !== null ? fromWinlogbeat(o, winlog as Json, text, origin) : fromFlat(o, text, origin);
}

function fromFlat(o: Json, text: string, origin: RecordOrigin): DecodeResult {
  const eventId = toIntOrNull(scalar(o['EventID']));
  if (eventId === null) return bad('not-an-event', 'no numeric EventID field', origin);
  const data = Object.create(null) as Record<string, string>;
  for (const key in o) {
    const v = o[key];
    if (typeof v === 'string') {
      if (!SHIPPER_KEYS.has(key)) data[key] = v;
    } else if ((typeof v === 'number' || typeof v === 'boolean') && !SHIPPER_KEYS.has(key)) {
      data[key] = String(v);
    }
  }
  const time = eventTime(o);
  const record: RawRecord = {
    provider: str(o['SourceName']),
    providerGuid: normalizeGuid(optStr(o['ProviderGuid'])),
    eventId,
    version: toIntOrNull(scalar(o['Version'])) ?? 0,
    level: toIntOrNull(scalar(o['Level'])),
    task: toIntOrNull(scalar(o['Task'])),
    opcode: toIntOrNull(scalar(o['OpcodeValue'])),
    keywords: normalizeKeywords(typeof o['Keywords'] === 'number' ? exactNumber(text, 'Keywords') : optStr(o['Keywords'])),
    recordId: toIntOrNull(scalar(o['RecordNumber'] ?? o['EventRecordID'])),
    time: time.time,
    timeQuality: time.quality,
    computer: str(o['Hostname'] ?? o['Computer']),
    channel: normalizeChannel(str(o['Channel'])),
    executionProcessId: toIntOrNull(scalar(o['ExecutionProcessID'])),
    executionThreadId: toIntOrNull(scalar(o['ThreadID'])),
    data,
    userDataName: '',
    message: str(o['Message']),
    origin,
  };
  return { ok: true, value: record };
}

function fromWinlogbeat(o: Json, w: Json, text: string, origin: RecordOrigin): DecodeResult {
  const eventId = toIntOrNull(scalar(w['event_id']));
  if (eventId === null) return bad('not-an-event', 'no numeric winlog.event_id field', origin);
  const data = Object.create(null) as Record<string, string>;
  for (const source of [w['event_data'], w['user_data']]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const [k, v] of Object.entries(source as Json)) if (v !== null && typeof v !== 'object') data[k] = String(v);
  }
  const process = (w['process'] ?? {}) as Json;
  const thread = (process['thread'] ?? {}) as Json;
  const time = normalizeTime(optStr(o['@timestamp']));
  const record: RawRecord = {
    provider: str(w['provider_name']),
    providerGuid: normalizeGuid(optStr(w['provider_guid'])),
    eventId,
    version: toIntOrNull(scalar(w['version'])) ?? 0,
    level: null,
    task: null,
    opcode: null,
    keywords: normalizeKeywords(typeof w['keywords'] === 'number' ? exactNumber(text, 'keywords') : optStr(w['keywords'])),
    recordId: toIntOrNull(scalar(w['record_id'])),
    time: time.time,
    timeQuality: time.quality,
    computer: str(w['computer_name']),
    channel: normalizeChannel(str(w['channel'])),
    executionProcessId: toIntOrNull(scalar(process['pid'])),
    executionThreadId: toIntOrNull(scalar(thread['id'])),
    data,
    userDataName: '',
    message: str(o['message']),
    origin,
  };
  return { ok: true, value: record };
}

/**
 * The event's own time. `TimeCreated` with a zone is exact. NXLog's `EventTime` is the collector's local time
 * without a zone; `@timestamp` and `EventReceivedTime` are the same instant (receipt) in UTC and local time,
 * so their difference is the zone offset, which turns `EventTime` into UTC.
 */
function eventTime(o: Json): { time: string; quality: RawRecord['timeQuality'] } {
  const created = normalizeTime(optStr(o['TimeCreated']));
  if (created.quality === 'exact') return created;
  const local = optStr(o['EventTime']);
  const receivedLocal = optStr(o['EventReceivedTime']);
  const receivedUtc = optStr(o['@timestamp']);
  if (local !== undefined && receivedLocal !== undefined && receivedUtc !== undefined) {
    const localMs = plainTimeMs(local);
    const recvLocalMs = plainTimeMs(receivedLocal);
    const recvUtcMs = Date.parse(receivedUtc);
    if (!Number.isNaN(localMs) && !Number.isNaN(recvLocalMs) && !Number.isNaN(recvUtcMs)) {
      // Zones are whole quarter hours; the difference also holds sub-second receipt noise.
      const quarter = 15 * 60_000;
      const offset = Math.round((recvUtcMs - recvLocalMs) / quarter) * quarter;
      return { time: new Date(localMs + offset).toISOString().replace('.000Z', 'Z'), quality: 'derived' };
    }
  }
  if (created.quality === 'assumed-utc') return created;
  const fallback = normalizeTime(local);
  return fallback.quality === 'missing' ? fallback : { time: fallback.time, quality: 'assumed-utc' };
}

/** `YYYY-MM-DD HH:MM:SS` (NXLog's zone-less form) as if UTC; NaN when it is not that form. */
function plainTimeMs(s: string): number {
  const dt = readDateTime(s);
  return dt === null ? NaN : Date.UTC(dt.y, dt.mo - 1, dt.d, dt.h, dt.mi, dt.se);
}

/**
 * JSON.parse rounds 64-bit integers (NXLog writes Keywords as a signed decimal such as
 * -9214364837600034816); read the exact digits from the text instead.
 */
function exactNumber(text: string, key: string): string | undefined {
  // Only called when the parsed value is a number, so the first `"key":` followed by digits is it.
  const at = text.indexOf(`"${key}"`);
  if (at < 0) return undefined;
  let k = at + key.length + 2;
  while (k < text.length && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 58)) k++;
  const from = k;
  if (text.charCodeAt(k) === 45) k++;
  while (k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
  return k > from ? text.slice(from, k) : undefined;
}

function normalizeChannel(s: string): string {
  return s.toLowerCase() === 'security' ? 'Security' : s;
}

function scalar(v: unknown): string | number | undefined {
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function optStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function bad(reason: 'malformed-json' | 'not-an-event', detail: string, origin: RecordOrigin): DecodeResult {
  return { ok: false, reason, detail: oneLineDetail(detail), file: origin.file, position: origin.position };
}
