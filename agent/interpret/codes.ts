// `%%NNNN` insertion codes (msobjs.dll message ids) that WFP and audit-policy events carry.
// Translated here, never from rendered text, so the meaning is the same on every Windows language.
import type { CodedValue } from './wfp-event.ts';

export const DIRECTION_CODES: ReadonlyMap<number, string> = new Map([
  [14592, 'Inbound'],
  [14593, 'Outbound'],
  [14594, 'Forward'],
  [14595, 'Bidirectional'],
]);

export const LAYER_CODES: ReadonlyMap<number, string> = new Map([
  [14596, 'IP Packet'],
  [14597, 'Transport'],
  [14598, 'Forward'],
  [14599, 'Stream'],
  [14600, 'Datagram Data'],
  [14601, 'ICMP Error'],
  [14602, 'MAC 802.3'],
  [14603, 'MAC Native'],
  [14604, 'vSwitch'],
  [14608, 'Resource Assignment'],
  [14609, 'Listen'],
  [14610, 'Receive/Accept'],
  [14611, 'Connect'],
  [14612, 'Flow Established'],
  [14614, 'Resource Release'],
  [14615, 'Endpoint Closure'],
  [14616, 'Connect Redirect'],
  [14617, 'Bind Redirect'],
  [14624, 'Stream Packet'],
  [14640, 'ICMP Echo-Request'],
  [14641, 'vSwitch Ingress'],
  [14642, 'vSwitch Egress'],
]);

export const FILTER_CHANGE_CODES: ReadonlyMap<number, string> = new Map([
  [16384, 'Add'],
  [16385, 'Delete'],
]);

export const FILTER_TYPE_CODES: ReadonlyMap<number, string> = new Map([
  [16386, 'Boot-time'],
  [16387, 'Persistent'],
  [16388, 'Not persistent'],
]);

export const FILTER_ACTION_CODES: ReadonlyMap<number, string> = new Map([
  [16389, 'Block'],
  [16390, 'Permit'],
  [16391, 'Callout'],
]);

export const AUDIT_CHANGE_CODES: ReadonlyMap<number, string> = new Map([
  [8448, 'Success removed'],
  [8449, 'Success added'],
  [8450, 'Failure removed'],
  [8451, 'Failure added'],
]);

export const AUDIT_CATEGORY_CODES: ReadonlyMap<number, string> = new Map([
  [8272, 'System'],
  [8273, 'Logon/Logoff'],
  [8274, 'Object Access'],
  [8275, 'Privilege Use'],
  [8276, 'Detailed Tracking'],
  [8277, 'Policy Change'],
  [8278, 'Account Management'],
  [8279, 'DS Access'],
  [8280, 'Account Logon'],
]);

export const BOOLEAN_CODES: ReadonlyMap<number, boolean> = new Map([
  [1825, true],
  [1826, false],
]);

/**
 * Read a value that should be a `%%NNNN` code. Shippers sometimes render the meaning instead (5441's
 * LayerName arrives as "ALE Receive/Accept v6 Layer"): then `code` is null and the text is the name.
 */
// Decoded values per table, by raw text: a few dozen distinct codes recur in every event, so each is
// decoded once and the same frozen value is shared (bounded per table).
const decoded = new WeakMap<ReadonlyMap<number, string>, Map<string, CodedValue>>();
const MAX_CACHED_CODES = 1024;

export function readCode(raw: string, table: ReadonlyMap<number, string>): CodedValue {
  let cache = decoded.get(table);
  if (cache === undefined) decoded.set(table, (cache = new Map()));
  let value = cache.get(raw);
  if (value === undefined) {
    value = Object.freeze(decodeCode(raw, table));
    if (cache.size < MAX_CACHED_CODES) cache.set(raw, value);
  }
  return value;
}

/** Codes without a public table (profiles, audit subcategories): kept raw, never named. */
export const NO_NAMES: ReadonlyMap<number, string> = new Map();

function decodeCode(raw: string, table: ReadonlyMap<number, string>): CodedValue {
  const t = raw.trim();
  if (t.startsWith('%%')) {
    const code = Number(t.slice(2));
    if (Number.isInteger(code)) return { raw: t, code, name: table.get(code) ?? null };
    return { raw: t, code: null, name: null };
  }
  return { raw: t, code: null, name: t === '' ? null : t };
}

/** `%%1825` / `%%1826`, or literal true/false; null when absent or unknown. */
export function readBoolean(raw: string | undefined): boolean | null {
  if (raw === undefined) return null;
  const t = raw.trim().toLowerCase();
  if (t.startsWith('%%')) return BOOLEAN_CODES.get(Number(t.slice(2))) ?? null;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}
