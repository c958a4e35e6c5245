// `log.record.uid`: one event's identity, the same every time the agent exports it, so a backend can drop the
// duplicates at-least-once delivery makes after a crash (the batch exported but not yet checkpointed).
//
// UUID version 5 (RFC 9562 name-based, SHA-1) of `host \n channel \n record id`: a standard UUID that
// backends store as an id, and that anyone can recompute from an event without the agent (Python:
// uuid.uuid5(NAMESPACE, "dc01.contoso.local\nSecurity\n304390")). SHA-1 is used only as the RFC's hash for
// spreading names, not for security; a collision needs two distinct events with the same host, channel and
// record id, which the Security log never has at once. Neither a host name nor a channel name can hold a
// newline, so the fields cannot run into each other.
import { hash } from 'node:crypto';
import type { RawRecord } from '../decode/index.ts';

/** The agent's namespace: uuid5(NAMESPACE_URL, "urn:wfp-block-agent:log.record.uid"). */
export const RECORD_UID_NAMESPACE = '5ebc8e82-3aa3-5de9-9719-0f3c5494324d';
const NAMESPACE_BYTES = Buffer.from(RECORD_UID_NAMESPACE.replaceAll('-', ''), 'hex');

let scratch = Buffer.alloc(512);

/** RFC 9562 UUID version 5 of `name` in `namespace` (16 bytes). */
export function uuidV5(namespace: Uint8Array, name: string): string {
  // One-shot hash of namespace + name in a reused buffer: ~2.0 µs against ~3.3 µs with createHash().update()
  // (Node 24, per live event in log mode).
  const need = namespace.length + Buffer.byteLength(name, 'utf8');
  if (need > scratch.length) scratch = Buffer.alloc(Math.max(need, 2 * scratch.length));
  scratch.set(namespace, 0);
  const end = namespace.length + scratch.write(name, namespace.length, 'utf8');
  const h = hash('sha1', scratch.subarray(0, end), 'buffer');
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * The uid of one event. `host` is the machine's host.id when the agent reads its own log (stable across
 * renames), else the event's Computer; lower-cased, as Windows names are case-insensitive. An event without
 * a record id (some shipper exports) is named by its content instead: event id, time and data.
 */
export function recordUid(host: string, raw: RawRecord): string {
  const key = host.toLowerCase();
  if (raw.recordId !== null) return uuidV5(NAMESPACE_BYTES, `${key}\n${raw.channel}\n${raw.recordId}`);
  const data = Object.keys(raw.data)
    .sort()
    .map((k) => `${k}=${raw.data[k]}`)
    .join('\n');
  return uuidV5(NAMESPACE_BYTES, `${key}\n${raw.channel}\nno-record-id\n${raw.eventId}\n${raw.time}\n${data}`);
}
