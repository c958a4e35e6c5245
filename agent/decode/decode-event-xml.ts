// One Windows event's XML -> RawRecord, by a focused single-pass scanner.
//
// Why not a generic parser: on this machine a DOM library decodes a 1.2 KB event at 3–6k/s and a streaming
// one at ~35k/s; this scanner does several hundred thousand per second (test/bench/decode.bench.ts runs the
// fast-xml-parser alternative beside it). It stays an XML parser for what events contain: both quote styles,
// entities and character references, CDATA, comments, processing instructions, namespace prefixes,
// self-closing tags, mismatched or truncated markup (an error), no DTD (an error, so no entity expansion).
import type { RawRecord, RecordOrigin } from './raw-record.ts';
import type { DecodeError, DecodeErrorReason, DecodeResult } from './decode-result.ts';
import { decodeXmlText } from './xml-text.ts';
import { normalizeGuid, normalizeKeywords, normalizeTime, toIntOrNull } from './normalize.ts';

/** Windows events nest four levels (Event/UserData/X/Y); anything past this is not an event. */
const MAX_DEPTH = 16;

const SECTION_NONE = 0;
const SECTION_SYSTEM = 1;
const SECTION_EVENT_DATA = 2;
const SECTION_USER_DATA = 3;
const SECTION_OTHER = 4;

const SYSTEM_TEXT_FIELDS = new Set(['EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID', 'Channel', 'Computer']);

class Fail {
  readonly reason: DecodeErrorReason;
  readonly detail: string;
  readonly at: number;
  constructor(reason: DecodeErrorReason, detail: string, at: number) {
    this.reason = reason;
    this.detail = detail;
    this.at = at;
  }
}

/** Decode the single event in `text[start, end)`. */
export function decodeEventXml(text: string, origin: RecordOrigin, start = 0, end = text.length): DecodeResult {
  const r = scan(text, start, end);
  if (r instanceof Fail) return fail(r, origin, text, start);
  const eventId = toIntOrNull(r.system.get('EventID'));
  if (eventId === null) {
    return fail(new Fail('missing-field', 'the event has no numeric <EventID>', start), origin, text, start);
  }
  const time = normalizeTime(r.systemTime);
  const record: RawRecord = {
    provider: r.providerName,
    providerGuid: normalizeGuid(r.providerGuid),
    eventId,
    version: toIntOrNull(r.system.get('Version')) ?? 0,
    level: toIntOrNull(r.system.get('Level')),
    task: toIntOrNull(r.system.get('Task')),
    opcode: toIntOrNull(r.system.get('Opcode')),
    keywords: normalizeKeywords(r.system.get('Keywords')),
    recordId: toIntOrNull(r.system.get('EventRecordID')),
    time: time.time,
    timeQuality: time.quality,
    computer: r.system.get('Computer') ?? '',
    channel: r.system.get('Channel') ?? '',
    executionProcessId: toIntOrNull(r.executionProcessId),
    executionThreadId: toIntOrNull(r.executionThreadId),
    data: r.data,
    userDataName: r.userDataName,
    message: '',
    origin,
  };
  return { ok: true, value: record };
}

function fail(f: Fail, origin: RecordOrigin, text: string, start: number): DecodeError {
  const base = { ok: false as const, reason: f.reason, detail: f.detail, file: origin.file, position: origin.position };
  return { ...base, line: lineAt(text, start, f.at) };
}

function lineAt(text: string, from: number, at: number): number {
  // Lines are counted within this event's text; callers that know the event's first line add it.
  let line = 1;
  for (let i = text.indexOf('\n', from); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

interface ScanOutput {
  providerName: string;
  providerGuid: string | undefined;
  systemTime: string | undefined;
  executionProcessId: string | undefined;
  executionThreadId: string | undefined;
  system: Map<string, string>;
  data: Record<string, string>;
  userDataName: string;
}

function scan(text: string, start: number, end: number): ScanOutput | Fail {
  const out: ScanOutput = {
    providerName: '',
    providerGuid: undefined,
    systemTime: undefined,
    executionProcessId: undefined,
    executionThreadId: undefined,
    system: new Map(),
    // A plain object, not Object.create(null): events of one id add the same keys in the same order, so V8
    // can share hidden classes. `__proto__` is the one key that would misbehave; storeCapture renames it.
    data: {} as Record<string, string>,
    userDataName: '',
  };
  const stack: string[] = [];
  let section = SECTION_NONE;
  let sawRoot = false;
  // The element whose text we keep, by the depth it sits at (-1: none), and where its value goes.
  let captureDepth = -1;
  let captureKey = '';
  let captureInto: 'system' | 'data' = 'data';
  let captured = '';
  let unnamed = 0;
  let nextAmp = -1;
  // Attributes of the current start tag, in two arrays reused across tags instead of a Map per tag.
  // Only offsets are kept; a value is decoded when asked for, so attributes nobody reads (xmlns, Guid of
  // most providers) cost no string.
  let attrCount = 0;
  const attrNameStart: number[] = [];
  const attrNameEnd: number[] = [];
  const attrValueStart: number[] = [];
  const attrValueEnd: number[] = [];
  const attr = (want: string): string | undefined => {
    for (let k = 0; k < attrCount; k++) {
      const ns = attrNameStart[k]!;
      const ne = attrNameEnd[k]!;
      const from = ne - want.length;
      if (from < ns || !text.startsWith(want, from) || (from > ns && text.charCodeAt(from - 1) !== 58 /* : */)) continue;
      const v = decodeXmlText(text, attrValueStart[k]!, attrValueEnd[k]!);
      return v.ok ? v.text : undefined;
    }
    return undefined;
  };
  let i = start;
  // Skip a byte-order mark.
  if (text.charCodeAt(i) === 0xfeff) i++;

  while (i < end) {
    let lt = text.indexOf('<', i);
    if (lt < 0 || lt >= end) lt = end;
    if (lt > i) {
      // Where the next '&' is, found once and reused until passed: searching for it per text run would scan
      // to the end of the event each time (quadratic in the event size, which matters for 10 MB fields).
      if (nextAmp < i) {
        nextAmp = text.indexOf('&', i);
        if (nextAmp < 0) nextAmp = Infinity;
      }
      const amp = nextAmp < lt ? nextAmp : end;
      if (stack.length === 0) {
        if (!isBlank(text, i, lt)) return new Fail(sawRoot ? 'malformed-xml' : 'not-an-event', sawRoot ? 'text after the end of </Event>' : 'text before the <Event> element', i);
      } else if (captureDepth >= 0) {
        const t = decodeXmlText(text, i, lt, amp);
        if (!t.ok) return new Fail('malformed-xml', t.detail, i);
        captured = captured === '' ? t.text : captured + t.text;
      } else if (amp < lt) {
        // Text we do not keep must still be well-formed.
        const t = decodeXmlText(text, i, lt, amp);
        if (!t.ok) return new Fail('malformed-xml', t.detail, i);
      }
    }
    if (lt >= end) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0 || gt >= end) return new Fail('malformed-xml', 'truncated end tag', lt);
      const open = stack.pop();
      // End tags must repeat the start tag's qualified name; compare in place (no slice on the hot path).
      if (open === undefined || !text.startsWith(open, lt + 2) || !isSpaceOrGt(text.charCodeAt(lt + 2 + open.length))) {
        const name = text.slice(lt + 2, gt).trim();
        return new Fail('malformed-xml', open === undefined ? `unexpected </${name}>` : `</${name}> closes <${open}>`, lt);
      }
      const depth = stack.length + 1;
      if (depth === captureDepth) {
        storeCapture(out, captureInto, captureKey, captured);
        captureDepth = -1;
      }
      if (depth === 2) section = SECTION_NONE;
      i = gt + 1;
      continue;
    }
    if (c === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const close = text.indexOf('-->', lt + 4);
        if (close < 0 || close >= end) return new Fail('malformed-xml', 'unterminated comment', lt);
        i = close + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const close = text.indexOf(']]>', lt + 9);
        if (close < 0 || close >= end) return new Fail('malformed-xml', 'unterminated CDATA section', lt);
        if (stack.length === 0) return new Fail('malformed-xml', 'CDATA outside the event', lt);
        if (captureDepth >= 0) captured += text.slice(lt + 9, close);
        i = close + 3;
        continue;
      }
      if (text.startsWith('<!DOCTYPE', lt)) {
        return new Fail('unsupported-input', 'a DOCTYPE/DTD is not allowed in event XML (entity expansion is refused)', lt);
      }
      return new Fail('malformed-xml', 'unexpected <! markup', lt);
    }
    if (c === 63 /* ? */) {
      const close = text.indexOf('?>', lt + 2);
      if (close < 0 || close >= end) return new Fail('malformed-xml', 'unterminated processing instruction', lt);
      i = close + 2;
      continue;
    }

    // Start tag: name, attributes, `>` or `/>`.
    let p = lt + 1;
    while (p < end && !isNameEnd(text.charCodeAt(p))) p++;
    if (p === lt + 1) return new Fail('malformed-xml', "'<' not followed by a tag name", lt);
    const qname = text.slice(lt + 1, p);
    const name = localName(qname);
    if (stack.length === 0 && sawRoot) return new Fail('malformed-xml', `a second root element <${name}> after </Event>`, lt);
    const depth = stack.length + 1;
    if (depth > MAX_DEPTH) return new Fail('too-deep', `elements nested deeper than ${MAX_DEPTH} levels`, lt);
    attrCount = 0;
    let selfClosing = false;
    for (;;) {
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      if (p >= end) return new Fail('malformed-xml', `truncated start tag <${name}`, lt);
      const ch = text.charCodeAt(p);
      if (ch === 62 /* > */) {
        p++;
        break;
      }
      if (ch === 47 /* / */) {
        if (text.charCodeAt(p + 1) !== 62) return new Fail('malformed-xml', `'/' not followed by '>' in <${name}>`, p);
        selfClosing = true;
        p += 2;
        break;
      }
      const nameStart = p;
      while (p < end && !isNameEnd(text.charCodeAt(p)) && text.charCodeAt(p) !== 61 /* = */) p++;
      const nameEnd = p;
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      if (nameEnd === nameStart || text.charCodeAt(p) !== 61) return new Fail('malformed-xml', `malformed attribute in <${name}>`, p);
      p++;
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      const quote = text.charCodeAt(p);
      if (quote !== 34 && quote !== 39) return new Fail('malformed-xml', `unquoted attribute value in <${name}>`, p);
      const close = text.indexOf(quote === 34 ? '"' : "'", p + 1);
      if (close < 0 || close >= end) return new Fail('malformed-xml', `unterminated attribute value in <${name}>`, p);
      const lt2 = text.indexOf('<', p + 1);
      if (lt2 >= 0 && lt2 < close) return new Fail('malformed-xml', `'<' inside an attribute value in <${name}>`, lt2);
      if (nextAmp <= p) {
        nextAmp = text.indexOf('&', p + 1);
        if (nextAmp < 0) nextAmp = Infinity;
      }
      if (nextAmp < close) {
        // Validate references now (the value itself is decoded only if read).
        const v = decodeXmlText(text, p + 1, close, nextAmp);
        if (!v.ok) return new Fail('malformed-xml', v.detail, p);
      }
      attrNameStart[attrCount] = nameStart;
      attrNameEnd[attrCount] = nameEnd;
      attrValueStart[attrCount] = p + 1;
      attrValueEnd[attrCount++] = close;
      p = close + 1;
    }

    if (depth === 1) {
      if (name !== 'Event') return new Fail('not-an-event', `root element is <${name}>, not <Event>`, lt);
      sawRoot = true;
    } else if (depth === 2) {
      section =
        name === 'System' ? SECTION_SYSTEM : name === 'EventData' ? SECTION_EVENT_DATA : name === 'UserData' ? SECTION_USER_DATA : SECTION_OTHER;
    } else if (depth === 3 && section === SECTION_SYSTEM) {
      if (name === 'Provider') {
        out.providerName = attr('Name') ?? attr('EventSourceName') ?? '';
        out.providerGuid = attr('Guid');
      } else if (name === 'TimeCreated') {
        out.systemTime = attr('SystemTime');
      } else if (name === 'Execution') {
        out.executionProcessId = attr('ProcessID');
        out.executionThreadId = attr('ThreadID');
      } else if (SYSTEM_TEXT_FIELDS.has(name)) {
        captureDepth = depth;
        captureKey = name;
        captureInto = 'system';
        captured = '';
      }
    } else if (depth === 3 && section === SECTION_EVENT_DATA) {
      if (name === 'Data') {
        captureDepth = depth;
        captureKey = attr('Name') ?? `param${++unnamed}`;
        captureInto = 'data';
        captured = '';
      }
    } else if (depth === 3 && section === SECTION_USER_DATA) {
      out.userDataName = name;
    } else if (depth === 4 && section === SECTION_USER_DATA) {
      captureDepth = depth;
      captureKey = name;
      captureInto = 'data';
      captured = '';
    }

    if (selfClosing) {
      if (depth === captureDepth) {
        storeCapture(out, captureInto, captureKey, '');
        captureDepth = -1;
      }
      if (depth === 1) {
        i = p;
        break;
      }
      if (depth === 2) section = SECTION_NONE;
    } else {
      stack.push(qname);
    }
    i = p;
  }
  if (stack.length > 0) return new Fail('malformed-xml', `truncated: <${stack[stack.length - 1]}> is never closed`, end);
  if (!sawRoot) return new Fail('not-an-event', 'no <Event> element', start);
  return out;
}

function storeCapture(out: ScanOutput, into: 'system' | 'data', key: string, value: string): void {
  if (into === 'system') out.system.set(key, value.trim());
  else out.data[key === '__proto__' ? '_proto_' : key] = value;
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isSpaceOrGt(c: number): boolean {
  return c === 62 || c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameEnd(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 62 /* > */ || c === 47 /* / */ || c === 60 /* < */;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}
