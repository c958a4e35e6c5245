// ExportLogsServiceRequest (OTLP protobuf) for log records whose attributes and body are strings, numbers,
// booleans and (attributes only) lists of strings: what every event record is (the lists are ECS's
// event.category / event.type). Anything else (maps, other lists, bytes, trace context) goes to the SDK's
// serializer, which handles all of OTLP.
//
// Why our own: the SDK's serializer measures every string twice (a size pass, then a write pass) and writes
// each attribute key anew; it was ~10.7 µs of CPU per record, a third of an event's whole cost (`npm run
// bench`, 2-core VM). Here an attribute key's bytes (with the KeyValue/AnyValue tags around it) are made
// once and copied, and each string is written once, its length fixed up after. Tests decode the output with
// the OTLP proto definitions (test/integration/otlp-receiver*) and compare it with the SDK's.
import type { HrTime } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { EventLogRecord, isPrimitive } from './event-log-record.ts';

type Primitive = string | number | boolean | readonly string[];

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const tag = (field: number, wire: number): number => (field << 3) | wire;

/** Grows by doubling; `bytes` is replaced, so callers re-read it after `ensure`. */
class Writer {
  bytes: Buffer;
  pos = 0;
  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.bytes.copy(next, 0, 0, this.pos);
    this.bytes = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = b;
  }
  varint(v: number): void {
    this.ensure(10);
    const b = this.bytes;
    let p = this.pos;
    while (v > 0x7f) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.pos = p;
  }
  /** int64 as protobuf writes it: negative numbers are 10-byte two's complement. */
  int64(v: number): void {
    if (v >= 0) return this.varint(v);
    const big = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    let x = big;
    while (x > 0x7fn) {
      this.bytes[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.bytes[this.pos++] = Number(x);
  }
  raw(src: Uint8Array): void {
    const n = src.length;
    this.ensure(n);
    // Key prefixes are ~10–40 bytes: a loop beats the builtin call at that size.
    if (n < 64) {
      const b = this.bytes;
      let p = this.pos;
      for (let k = 0; k < n; k++) b[p++] = src[k]!;
      this.pos = p;
    } else {
      this.bytes.set(src, this.pos);
      this.pos += n;
    }
  }
  double(v: number): void {
    this.ensure(8);
    this.bytes.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  /** HrTime as fixed64 nanoseconds, exactly (seconds split in 16-bit halves keeps every product below 2^53). */
  hrTime(t: HrTime): void {
    const [sec, ns] = t;
    const hiProd = Math.floor(sec / 65536) * 1e9;
    const a = (hiProd % 65536) * 65536 + ((sec % 65536) * 1e9 + ns);
    this.ensure(8);
    this.bytes.writeUInt32LE(a % 4294967296, this.pos);
    this.bytes.writeUInt32LE((Math.floor(hiProd / 65536) + Math.floor(a / 4294967296)) % 4294967296, this.pos + 4);
    this.pos += 8;
  }
  /** Reserve `n` bytes for a length written later by `finish`. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  /** Write the length of what follows `at + reserved` into the reserved bytes, moving the content if needed. */
  finish(at: number, reserved: number): void {
    const start = at + reserved;
    const len = this.pos - start;
    const need = varintSize(len);
    if (need !== reserved) {
      this.ensure(need - reserved);
      this.bytes.copy(this.bytes, at + need, start, this.pos);
      this.pos += need - reserved;
    }
    let p = at;
    let v = len;
    while (v > 0x7f) {
      this.bytes[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[p] = v;
  }
  /** Copy a short string that is all ASCII byte by byte (most values are); false, writing nothing, when it is not. */
  private ascii(s: string): boolean {
    const b = this.bytes;
    const p = this.pos;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 0x7f) return false;
      b[p + k] = c;
    }
    this.pos = p + s.length;
    return true;
  }
  /** A length-delimited UTF-8 string (its tag written by the caller). */
  string(s: string): void {
    // Guess the length prefix from the UTF-16 length (exact for ASCII); finish() fixes a wrong guess.
    const at = this.reserve(varintSize(s.length));
    this.ensure(s.length * 3);
    if (!(s.length < 64 && this.ascii(s))) this.pos += this.bytes.write(s, this.pos);
    this.finish(at, varintSize(s.length));
  }
}

function varintSize(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

// KeyValue prefix per attribute key: [tag 1, len, key bytes, tag 2]; the value's AnyValue follows.
const keyPrefixes = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 1024;

function keyPrefix(key: string): Buffer {
  let p = keyPrefixes.get(key);
  if (p === undefined) {
    const k = Buffer.from(key, 'utf8');
    const w = new Writer(k.length + 8);
    w.byte(tag(1, WIRE_LEN));
    w.varint(k.length);
    w.raw(k);
    w.byte(tag(2, WIRE_LEN));
    p = Buffer.from(w.bytes.subarray(0, w.pos));
    if (keyPrefixes.size < MAX_CACHED_KEYS) keyPrefixes.set(key, p);
  }
  return p;
}

/** AnyValue with one primitive, or an ArrayValue of strings. */
function writeAnyValue(w: Writer, v: Primitive): void {
  if (typeof v === 'string') {
    w.byte(tag(1, WIRE_LEN));
    w.string(v);
  } else if (typeof v === 'object') {
    w.byte(tag(5, WIRE_LEN));
    const array = w.reserve(1);
    for (const s of v) {
      w.byte(tag(1, WIRE_LEN));
      const item = w.reserve(1);
      w.byte(tag(1, WIRE_LEN));
      w.string(s);
      w.finish(item, 1);
    }
    w.finish(array, 1);
  } else if (typeof v === 'boolean') {
    w.byte(tag(2, WIRE_VARINT));
    w.byte(v ? 1 : 0);
  } else if (Number.isSafeInteger(v)) {
    w.byte(tag(3, WIRE_VARINT));
    w.int64(v);
  } else {
    w.byte(tag(4, WIRE_I64));
    w.double(v);
  }
}

/** repeated KeyValue `field`. */
function writeAttributes(w: Writer, field: number, attributes: Readonly<Record<string, unknown>>): void {
  for (const key in attributes) {
    const v = attributes[key] as Primitive;
    const prefix = keyPrefix(key);
    // Length prefixes sized for the usual case (ASCII strings); finish() corrects a wrong guess.
    const anyGuess = typeof v === 'string' ? 1 + varintSize(v.length) + v.length : 11;
    const anyReserve = varintSize(anyGuess);
    const kvReserve = varintSize(prefix.length + anyReserve + anyGuess);
    w.byte(tag(field, WIRE_LEN));
    const kv = w.reserve(kvReserve);
    w.raw(prefix);
    const any = w.reserve(anyReserve);
    writeAnyValue(w, v);
    w.finish(any, anyReserve);
    w.finish(kv, kvReserve);
  }
}

function primitiveMap(attributes: Readonly<Record<string, unknown>> | undefined): boolean {
  if (attributes === undefined) return true;
  for (const key in attributes) if (!Object.hasOwn(attributes, key) || !isPrimitive(attributes[key])) return false;
  return true;
}

/** Whether this encoder covers the record (else the SDK's serializer takes the whole request). */
function covered(r: ReadableLogRecord): boolean {
  const scopeOk = primitiveMap(r.instrumentationScope.attributes);
  if (r instanceof EventLogRecord && r.primitiveOnly) return r.spanContext === undefined && scopeOk;
  return (
    r.spanContext === undefined &&
    (r.body === undefined || isPrimitive(r.body)) &&
    primitiveMap(r.attributes) &&
    scopeOk
  );
}

/** The request's bytes, or null when a record needs the SDK's full serializer. */
export function encodeLogsRequest(records: readonly ReadableLogRecord[]): Uint8Array | null {
  // Group by resource, then scope (by identity, as the SDK does).
  const byResource = new Map<ReadableLogRecord['resource'], Map<ReadableLogRecord['instrumentationScope'], ReadableLogRecord[]>>();
  for (const r of records) {
    if (!covered(r)) return null;
    let scopes = byResource.get(r.resource);
    if (scopes === undefined) {
      if (!primitiveMap(r.resource.attributes)) return null;
      byResource.set(r.resource, (scopes = new Map()));
    }
    let list = scopes.get(r.instrumentationScope);
    if (list === undefined) scopes.set(r.instrumentationScope, (list = []));
    list.push(r);
  }
  const w = new Writer(Math.max(1024, records.length * 2048));
  for (const [resource, scopes] of byResource) {
    w.byte(tag(1, WIRE_LEN));
    const rl = w.reserve(3);
    // Resource
    w.byte(tag(1, WIRE_LEN));
    const res = w.reserve(2);
    writeAttributes(w, 1, resource.attributes);
    w.finish(res, 2);
    for (const [scope, list] of scopes) {
      w.byte(tag(2, WIRE_LEN));
      const sl = w.reserve(4);
      w.byte(tag(1, WIRE_LEN));
      const sc = w.reserve(1);
      if (scope.name !== '') {
        w.byte(tag(1, WIRE_LEN));
        w.string(scope.name);
      }
      if (scope.version !== undefined && scope.version !== '') {
        w.byte(tag(2, WIRE_LEN));
        w.string(scope.version);
      }
      if (scope.attributes !== undefined) writeAttributes(w, 3, scope.attributes);
      w.finish(sc, 1);
      for (const r of list) writeLogRecord(w, r);
      if (scope.schemaUrl !== undefined && scope.schemaUrl !== '') {
        w.byte(tag(3, WIRE_LEN));
        w.string(scope.schemaUrl);
      }
      w.finish(sl, 4);
    }
    if (resource.schemaUrl !== undefined && resource.schemaUrl !== '') {
      w.byte(tag(3, WIRE_LEN));
      w.string(resource.schemaUrl);
    }
    w.finish(rl, 3);
  }
  return w.bytes.subarray(0, w.pos);
}

function writeLogRecord(w: Writer, r: ReadableLogRecord): void {
  w.byte(tag(2, WIRE_LEN));
  const lr = w.reserve(2);
  w.byte(tag(1, WIRE_I64));
  w.hrTime(r.hrTime);
  if (r.severityNumber !== undefined && r.severityNumber !== 0) {
    w.byte(tag(2, WIRE_VARINT));
    w.varint(r.severityNumber);
  }
  if (r.severityText !== undefined && r.severityText !== '') {
    w.byte(tag(3, WIRE_LEN));
    w.string(r.severityText);
  }
  if (r.body !== undefined && r.body !== null) {
    w.byte(tag(5, WIRE_LEN));
    const body = w.reserve(2);
    writeAnyValue(w, r.body as Primitive);
    w.finish(body, 2);
  }
  writeAttributes(w, 6, r.attributes);
  if (r.droppedAttributesCount > 0) {
    w.byte(tag(7, WIRE_VARINT));
    w.varint(r.droppedAttributesCount);
  }
  w.byte(tag(11, WIRE_I64));
  w.hrTime(r.hrTimeObserved);
  if (r.eventName !== undefined && r.eventName !== '') {
    w.byte(tag(12, WIRE_LEN));
    w.string(r.eventName);
  }
  w.finish(lr, 2);
}
