// Checks what crossed from .NET before the source trusts it: edge-js hands over plain objects, and on .NET
// Framework some numeric types arrive as strings. A message that does not fit becomes a one-line error.
import type { BridgeLogInfo, BridgeMessage } from './bridge-host.ts';

export type ParsedBridgeMessage = { readonly ok: true; readonly value: BridgeMessage } | { readonly ok: false; readonly error: string };

export function parseBridgeMessage(raw: unknown): ParsedBridgeMessage {
  if (!isObject(raw)) return bad('not an object');
  if (raw['type'] === 'records') {
    const ids = raw['recordIds'];
    const xml = raw['xml'];
    if (!Array.isArray(ids) || !Array.isArray(xml) || ids.length !== xml.length) return bad('records: recordIds and xml must be arrays of one length');
    const recordIds = ids.map(toNumber);
    if (recordIds.some((id) => !Number.isSafeInteger(id) || id < 0)) return bad('records: a record id is not a non-negative integer');
    if (xml.some((x) => typeof x !== 'string')) return bad('records: an xml entry is not a string');
    return { ok: true, value: { type: 'records', recordIds, xml: xml as string[], newestRecordId: toNumberOr(raw['newestRecordId'], -1) } };
  }
  if (raw['type'] === 'status') {
    const state = raw['state'];
    if (state !== 'subscribing' && state !== 'paused' && state !== 'error' && state !== 'skipped' && state !== 'restarted') {
      return bad(`status: unknown state ${JSON.stringify(state)}`);
    }
    return {
      ok: true,
      value: {
        type: 'status',
        state,
        detail: typeof raw['detail'] === 'string' ? raw['detail'] : '',
        resumeAfter: toNumberOr(raw['resumeAfter'], -1),
        log: isObject(raw['log']) ? parseLogInfo(raw['log']) : null,
        ...(raw['skippedTotal'] !== undefined ? { skippedTotal: toNumberOr(raw['skippedTotal'], 0) } : {}),
      },
    };
  }
  return bad(`unknown type ${JSON.stringify(raw['type'])}`);
}

export function parseLogInfo(raw: Record<string, unknown>): BridgeLogInfo {
  return {
    oldestRecordId: toNumberOr(raw['oldestRecordId'], -1),
    newestRecordId: toNumberOr(raw['newestRecordId'], -1),
    recordCount: toNumberOr(raw['recordCount'], 0),
    fileSizeBytes: toNumberOr(raw['fileSizeBytes'], -1),
    maxSizeBytes: toNumberOr(raw['maxSizeBytes'], -1),
    retention: typeof raw['retention'] === 'string' ? raw['retention'] : 'unknown',
    isFull: raw['isFull'] === true,
    lastWriteUtc: typeof raw['lastWriteUtc'] === 'string' ? raw['lastWriteUtc'] : '',
  };
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return Number.NaN;
}

function toNumberOr(value: unknown, fallback: number): number {
  const n = toNumber(value);
  return Number.isFinite(n) ? n : fallback;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bad(error: string): ParsedBridgeMessage {
  return { ok: false, error: `Bridge message ${error}.` };
}
