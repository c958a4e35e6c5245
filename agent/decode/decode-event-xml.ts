// One Windows event's XML -> RawRecord, by a focused single-pass scanner.
//
// Why not a generic parser: on this machine fast-xml-parser parses these events at ~12k/s (test/bench/
// decode.bench.ts runs it beside this scanner); a DOM library is slower still. The scanner stays an XML
// parser for what events contain: both quote styles, entities and character references, CDATA, comments,
// processing instructions, namespace prefixes, self-closing tags; mismatched or truncated markup is an
// error, and a DTD is refused (so no entity expansion). It works on offsets into the text and compares
// names in place: a string is made only for a value the record keeps.
import type { RawRecord, RecordOrigin } from './raw-record.ts';
import type { DecodeError, DecodeErrorReason, DecodeResult } from './decode-result.ts';
import { oneLineDetail } from './decode-result.ts';
import { decodeXmlText } from './xml-text.ts';
import { normalizeGuid, normalizeKeywords, normalizeTime, toIntOrNull } from './normalize.ts';

/** Windows events nest four levels (Event/UserData/X/Y); anything past this is not an event. */
const MAX_DEPTH = 16;

const SECTION_NONE = 0;
const SECTION_SYSTEM = 1;
const SECTION_EVENT_DATA = 2;
const SECTION_USER_DATA = 3;
const SECTION_OTHER = 4;
const SECTION_NAMES: readonly (string | undefined)[] = [undefined, 'System', 'EventData', 'UserData'];

/** System children whose text we keep; the index is the slot in `SystemText`. */
const SYSTEM_TEXT_FIELDS = ['EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'EventRecordID', 'Channel', 'Computer'] as const;
const F_EVENT_ID = 0;
const F_VERSION = 1;
const F_LEVEL = 2;
const F_TASK = 3;
const F_OPCODE = 4;
const F_KEYWORDS = 5;
const F_RECORD_ID = 6;
const F_CHANNEL = 7;
const F_COMPUTER = 8;
/** Capture targets that are not System text fields. */
const TARGET_DATA = -1;
const TARGET_NONE = -2;

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

interface ScanOutput {
  providerName: string;
  providerGuid: string | undefined;
  systemTime: string | undefined;
  executionProcessId: string | undefined;
  executionThreadId: string | undefined;
  system: (string | undefined)[];
  data: Record<string, string>;
  userDataName: string;
}

/** Decode the single event in `text[start, end)`. */
export function decodeEventXml(text: string, origin: RecordOrigin, start = 0, end = text.length): DecodeResult {
  const r = scan(text, start, end);
  if (r instanceof Fail) return fail(r, origin, text, start);
  const sys = r.system;
  const eventId = toIntOrNull(sys[F_EVENT_ID]);
  if (eventId === null) {
    return fail(new Fail('missing-field', 'the event has no numeric <EventID>', start), origin, text, start);
  }
  const time = normalizeTime(r.systemTime);
  const record: RawRecord = {
    provider: r.providerName,
    providerGuid: normalizeGuid(r.providerGuid),
    eventId,
    version: toIntOrNull(sys[F_VERSION]) ?? 0,
    level: toIntOrNull(sys[F_LEVEL]),
    task: toIntOrNull(sys[F_TASK]),
    opcode: toIntOrNull(sys[F_OPCODE]),
    keywords: normalizeKeywords(sys[F_KEYWORDS]),
    recordId: toIntOrNull(sys[F_RECORD_ID]),
    time: time.time,
    timeQuality: time.quality,
    computer: sys[F_COMPUTER] ?? '',
    channel: sys[F_CHANNEL] ?? '',
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
  const base = { ok: false as const, reason: f.reason, detail: oneLineDetail(f.detail), file: origin.file, position: origin.position };
  return { ...base, line: lineAt(text, start, f.at) };
}

function lineAt(text: string, from: number, at: number): number {
  // Lines are counted within this event's text; callers that know the event's first line add it.
  let line = 1;
  for (let i = text.indexOf('\n', from); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// Scratch state reused by every scan (decoding is synchronous, so one set suffices): open elements as
// offsets, and the current start tag's attributes as offsets.
const stackStart: number[] = [];
const stackEnd: number[] = [];
/** The element's name as a constant when it is a known, unprefixed one: its end tag is then one startsWith. */
const stackKnown: (string | null)[] = [];
const attrNameStart: number[] = [];
const attrNameEnd: number[] = [];
const attrValueStart: number[] = [];
const attrValueEnd: number[] = [];
/** Whether the attribute's value holds a reference (so its raw text is not its value). */
const attrValueAmp: boolean[] = [];
let attrCount = 0;

// Character classes by table: one load instead of a chain of comparisons in the name and space loops.
const SPACE = new Uint8Array(128);
const NAME_END = new Uint8Array(128);
for (const c of [32, 10, 13, 9]) SPACE[c] = NAME_END[c] = 1;
for (const c of [62 /* > */, 47 /* / */, 60 /* < */]) NAME_END[c] = 1;

/** The value of the current tag's attribute with this local name, decoded; undefined when absent. */
function attr(text: string, want: string): string | undefined {
  for (let k = 0; k < attrCount; k++) {
    const ns = attrNameStart[k]!;
    const from = attrNameEnd[k]! - want.length;
    if (from < ns || !text.startsWith(want, from) || (from > ns && text.charCodeAt(from - 1) !== 58 /* : */)) continue;
    const v = decodeXmlText(text, attrValueStart[k]!, attrValueEnd[k]!);
    return v.ok ? v.text : undefined;
  }
  return undefined;
}

/** Whether text[from, to) is exactly `name`. */
function is(text: string, from: number, to: number, name: string): boolean {
  return to - from === name.length && at(text, from, name);
}

/**
 * Whether `name` occurs in `text` at `from`. A loop, not startsWith: names here are 4–13 characters, and the
 * builtin call costs more than the compare (decode bench: ~5% of XML decode time).
 */
function at(text: string, from: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (text.charCodeAt(from + k) !== name.charCodeAt(k)) return false;
  return true;
}

const SYS_PROVIDER = -3;
const SYS_TIME_CREATED = -4;
const SYS_EXECUTION = -5;

/**
 * Which System child `text[from, to)` names: a System text field's index, SYS_* for the attribute-carrying
 * ones, or TARGET_NONE. By length first, so each child costs one comparison, not a dozen.
 */
function systemChild(text: string, from: number, to: number): number {
  switch (to - from) {
    case 4:
      return is(text, from, to, 'Task') ? F_TASK : TARGET_NONE;
    case 5:
      return is(text, from, to, 'Level') ? F_LEVEL : TARGET_NONE;
    case 6:
      return is(text, from, to, 'Opcode') ? F_OPCODE : TARGET_NONE;
    case 7:
      return is(text, from, to, 'EventID') ? F_EVENT_ID : is(text, from, to, 'Version') ? F_VERSION : is(text, from, to, 'Channel') ? F_CHANNEL : TARGET_NONE;
    case 8:
      return is(text, from, to, 'Keywords') ? F_KEYWORDS : is(text, from, to, 'Computer') ? F_COMPUTER : is(text, from, to, 'Provider') ? SYS_PROVIDER : TARGET_NONE;
    case 9:
      return is(text, from, to, 'Execution') ? SYS_EXECUTION : TARGET_NONE;
    case 11:
      return is(text, from, to, 'TimeCreated') ? SYS_TIME_CREATED : TARGET_NONE;
    case 13:
      return is(text, from, to, 'EventRecordID') ? F_RECORD_ID : TARGET_NONE;
    default:
      return TARGET_NONE;
  }
}

// Data names seen so far, kept as the strings first stored: a repeated name is then found without making a
// new string, and the record's property store gets a key V8 has already internalized.
const KNOWN_KEYS = new Map<number, string[]>();
const MAX_KNOWN_KEYS = 4096;
let knownKeyCount = 0;

// The previous event's Data names by position: consecutive events are mostly of one id, whose Data elements
// come in one order, so the name at the same position is usually a hit with one compare.
const lastKeys: string[] = [];

function dataKey(text: string, from: number, to: number, index: number): string {
  const len = to - from;
  const guess = lastKeys[index];
  if (guess !== undefined && guess.length === len && at(text, from, guess)) return guess;
  const key = internedKey(text, from, to);
  if (index < 64) lastKeys[index] = key;
  return key;
}

function internedKey(text: string, from: number, to: number): string {
  const len = to - from;
  const bucket = len === 0 ? 0 : (len << 16) | (text.charCodeAt(from) << 8) | (text.charCodeAt(to - 1) & 0xff);
  let list = KNOWN_KEYS.get(bucket);
  if (list !== undefined) {
    for (let k = 0; k < list.length; k++) if (at(text, from, list[k]!)) return list[k]!;
  }
  const key = text.slice(from, to);
  if (knownKeyCount < MAX_KNOWN_KEYS) {
    if (list === undefined) KNOWN_KEYS.set(bucket, (list = []));
    list.push(key);
    knownKeyCount++;
  }
  return key;
}

/** Index of the current tag's attribute with this local name (its raw value is attrValueStart/End), or -1. */
function attrSpan(text: string, want: string): number {
  for (let k = 0; k < attrCount; k++) {
    const ns = attrNameStart[k]!;
    const from = attrNameEnd[k]! - want.length;
    if (from < ns || !text.startsWith(want, from) || (from > ns && text.charCodeAt(from - 1) !== 58 /* : */)) continue;
    return k;
  }
  return -1;
}

function scan(text: string, start: number, end: number): ScanOutput | Fail {
  const out: ScanOutput = {
    providerName: '',
    providerGuid: undefined,
    systemTime: undefined,
    executionProcessId: undefined,
    executionThreadId: undefined,
    system: new Array<string | undefined>(SYSTEM_TEXT_FIELDS.length),
    // A plain object, not Object.create(null): events of one id add the same keys in the same order, so V8
    // can share hidden classes. `__proto__` is the one key that would misbehave; it is renamed.
    data: {} as Record<string, string>,
    userDataName: '',
  };
  let depth = 0;
  let section = SECTION_NONE;
  let sawRoot = false;
  // The element whose text we keep, by the depth it sits at (-1: none), and where its value goes.
  let captureDepth = -1;
  let captureTarget = TARGET_NONE;
  let captureKey = '';
  let captured = '';
  let unnamed = 0;
  let dataIndex = 0;
  // Where the next '&' is, found once and reused until passed: searching for it per text run would scan to
  // the end of the event each time (quadratic in the event size, which matters for 10 MB fields).
  let nextAmp = -1;
  // Likewise the next '<': found once per tag, it also proves that no attribute value holds a '<'.
  let nextLt = -1;
  let i = start;
  if (text.charCodeAt(i) === 0xfeff) i++;

  while (i < end) {
    let lt = nextLt >= i ? nextLt : text.indexOf('<', i);
    if (lt < 0 || lt >= end) lt = end;
    if (lt > i) {
      if (nextAmp < i) {
        nextAmp = indexFrom(text, '&', i);
      }
      const amp = nextAmp < lt ? nextAmp : end;
      if (depth === 0) {
        if (!isBlank(text, i, lt)) {
          return sawRoot
            ? new Fail('malformed-xml', 'text after the end of </Event>', i)
            : new Fail('not-an-event', 'text before the <Event> element', i);
        }
      } else if (captureDepth >= 0) {
        let t: string;
        if (amp >= lt) t = text.slice(i, lt);
        else {
          const d = decodeXmlText(text, i, lt, amp);
          if (!d.ok) return new Fail('malformed-xml', d.detail, i);
          t = d.text;
        }
        captured = captured === '' ? t : captured + t;
      } else if (amp < lt) {
        // Text we do not keep must still be well-formed.
        const t = decodeXmlText(text, i, lt, amp);
        if (!t.ok) return new Fail('malformed-xml', t.detail, i);
      }
    }
    if (lt >= end) break;
    const c = text.charCodeAt(lt + 1);

    // Fast path for the element most events are made of: `<Data Name="N">value</Data>` in EventData, written
    // exactly so (Windows' own rendering). Anything else, or anything odd in it, takes the general path below
    // from the same `<`, so both paths accept and refuse the same documents. Decode bench: ~15% of XML time.
    if (c === 68 /* D */ && depth === 2 && section === SECTION_EVENT_DATA && at(text, lt + 1, 'Data Name="')) {
      const q = lt + 12;
      const close = text.indexOf('"', q);
      if (close > 0 && close + 1 < end && text.charCodeAt(close + 1) === 62 /* > */) {
        if (nextLt <= lt) {
          nextLt = indexFrom(text, '<', lt + 1);
        }
        if (nextAmp < lt) {
          nextAmp = indexFrom(text, '&', lt);
        }
        const valueEnd = nextLt;
        if (valueEnd > close && nextAmp > close && valueEnd + 7 <= end && at(text, valueEnd, '</Data>')) {
          let value: string;
          if (nextAmp >= valueEnd) value = text.slice(close + 2, valueEnd);
          else {
            const d = decodeXmlText(text, close + 2, valueEnd, nextAmp);
            if (!d.ok) return new Fail('malformed-xml', d.detail, close + 2);
            value = d.text;
          }
          store(out, TARGET_DATA, dataKey(text, q, close, dataIndex++), value);
          i = valueEnd + 7;
          continue;
        }
      }
    }

    if (c === 47 /* / */) {
      const gt = text.indexOf('>', lt + 2);
      if (gt < 0 || gt >= end) return new Fail('malformed-xml', 'truncated end tag', lt);
      if (depth === 0) return new Fail('malformed-xml', `unexpected </${text.slice(lt + 2, gt).trim()}>`, lt);
      // End tags must repeat the start tag's qualified name: compare in place.
      const os = stackStart[depth - 1]!;
      const oe = stackEnd[depth - 1]!;
      const len = oe - os;
      const known = stackKnown[depth - 1]!;
      const same = known !== null ? at(text, lt + 2, known) : sameChars(text, os, lt + 2, len);
      if (!same || !isSpaceOrGt(text.charCodeAt(lt + 2 + len))) {
        return new Fail('malformed-xml', `</${text.slice(lt + 2, gt).trim()}> closes <${text.slice(os, oe)}>`, lt);
      }
      if (depth === captureDepth) {
        store(out, captureTarget, captureKey, captured);
        captureDepth = -1;
      }
      if (depth === 2) section = SECTION_NONE;
      depth--;
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
        if (depth === 0) return new Fail('malformed-xml', 'CDATA outside the event', lt);
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

    // Start tag: qualified name [ls0, ne), local name [ls, ne), attributes, `>` or `/>`.
    const ls0 = lt + 1;
    let p = ls0;
    let ls = ls0;
    for (; p < end; p++) {
      const ch = text.charCodeAt(p);
      if (ch < 128 && NAME_END[ch] === 1) break;
      if (ch === 58 /* : */) ls = p + 1;
    }
    const ne = p;
    if (ne === ls0) return new Fail('malformed-xml', "'<' not followed by a tag name", lt);
    if (depth === 0 && sawRoot) return new Fail('malformed-xml', `a second root element <${text.slice(ls0, ne)}> after </Event>`, lt);
    if (depth + 1 > MAX_DEPTH) return new Fail('too-deep', `elements nested deeper than ${MAX_DEPTH} levels`, lt);
    attrCount = 0;
    let selfClosing = false;
    for (;;) {
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      if (p >= end) return new Fail('malformed-xml', `truncated start tag <${text.slice(ls0, ne)}`, lt);
      const ch = text.charCodeAt(p);
      if (ch === 62 /* > */) {
        p++;
        break;
      }
      if (ch === 47 /* / */) {
        if (text.charCodeAt(p + 1) !== 62) return new Fail('malformed-xml', `'/' not followed by '>' in <${text.slice(ls0, ne)}>`, p);
        selfClosing = true;
        p += 2;
        break;
      }
      const nameStart = p;
      while (p < end && !isNameEnd(text.charCodeAt(p)) && text.charCodeAt(p) !== 61 /* = */) p++;
      const nameEnd = p;
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      if (nameEnd === nameStart || text.charCodeAt(p) !== 61) {
        return new Fail('malformed-xml', `malformed attribute in <${text.slice(ls0, ne)}>`, p);
      }
      p++;
      while (p < end && isSpace(text.charCodeAt(p))) p++;
      const quote = text.charCodeAt(p);
      if (quote !== 34 && quote !== 39) return new Fail('malformed-xml', `unquoted attribute value in <${text.slice(ls0, ne)}>`, p);
      const close = text.indexOf(quote === 34 ? '"' : "'", p + 1);
      if (close < 0 || close >= end) return new Fail('malformed-xml', `unterminated attribute value in <${text.slice(ls0, ne)}>`, p);
      if (nextLt <= p) {
        nextLt = indexFrom(text, '<', p + 1);
      }
      if (nextLt < close) return new Fail('malformed-xml', `'<' inside an attribute value in <${text.slice(ls0, ne)}>`, nextLt);
      if (nextAmp <= p) {
        nextAmp = indexFrom(text, '&', p + 1);
      }
      if (nextAmp < close) {
        // Validate references now; the value itself is decoded only if read.
        const v = decodeXmlText(text, p + 1, close, nextAmp);
        if (!v.ok) return new Fail('malformed-xml', v.detail, p);
      }
      attrValueAmp[attrCount] = nextAmp < close;
      attrNameStart[attrCount] = nameStart;
      attrNameEnd[attrCount] = nameEnd;
      attrValueStart[attrCount] = p + 1;
      attrValueEnd[attrCount++] = close;
      p = close + 1;
    }

    const level = depth + 1;
    let known: string | null = null;
    if (level === 1) {
      if (!is(text, ls, ne, 'Event')) return new Fail('not-an-event', `root element is <${text.slice(ls0, ne)}>, not <Event>`, lt);
      sawRoot = true;
      known = 'Event';
    } else if (level === 2) {
      section = is(text, ls, ne, 'System')
        ? SECTION_SYSTEM
        : is(text, ls, ne, 'EventData')
          ? SECTION_EVENT_DATA
          : is(text, ls, ne, 'UserData')
            ? SECTION_USER_DATA
            : SECTION_OTHER;
      known = SECTION_NAMES[section] ?? null;
    } else if (level === 3 && section === SECTION_SYSTEM) {
      const child = systemChild(text, ls, ne);
      if (child === SYS_PROVIDER) {
        out.providerName = attr(text, 'Name') ?? attr(text, 'EventSourceName') ?? '';
        out.providerGuid = attr(text, 'Guid');
      } else if (child === SYS_TIME_CREATED) {
        out.systemTime = attr(text, 'SystemTime');
      } else if (child === SYS_EXECUTION) {
        out.executionProcessId = attr(text, 'ProcessID');
        out.executionThreadId = attr(text, 'ThreadID');
      } else if (child !== TARGET_NONE) {
        captureDepth = level;
        captureTarget = child;
        captured = '';
        known = SYSTEM_TEXT_FIELDS[child]!;
      }
    } else if (level === 3 && section === SECTION_EVENT_DATA) {
      if (is(text, ls, ne, 'Data')) {
        known = 'Data';
        captureDepth = level;
        captureTarget = TARGET_DATA;
        const k = attrSpan(text, 'Name');
        if (k < 0) captureKey = `param${++unnamed}`;
        else if (attrValueAmp[k]!) captureKey = attr(text, 'Name') ?? '';
        else captureKey = dataKey(text, attrValueStart[k]!, attrValueEnd[k]!, dataIndex);
        dataIndex++;
        captured = '';
      }
    } else if (level === 3 && section === SECTION_USER_DATA) {
      out.userDataName = text.slice(ls, ne);
    } else if (level === 4 && section === SECTION_USER_DATA) {
      captureDepth = level;
      captureTarget = TARGET_DATA;
      captureKey = text.slice(ls, ne);
      captured = '';
    }

    if (selfClosing) {
      if (level === captureDepth) {
        store(out, captureTarget, captureKey, '');
        captureDepth = -1;
      }
      if (level === 1) {
        i = p;
        break;
      }
      if (level === 2) section = SECTION_NONE;
    } else {
      stackStart[depth] = ls0;
      stackEnd[depth] = ne;
      // A prefixed name's end tag repeats the prefix: compare it in full.
      stackKnown[depth] = ls === ls0 ? known : null;
      depth = level;
    }
    i = p;
  }
  if (depth > 0) {
    return new Fail('malformed-xml', `truncated: <${text.slice(stackStart[depth - 1]!, stackEnd[depth - 1]!)}> is never closed`, end);
  }
  if (!sawRoot) return new Fail('not-an-event', 'no <Event> element', start);
  return out;
}

function store(out: ScanOutput, target: number, key: string, value: string): void {
  if (target >= 0) out.system[target] = value.trim();
  else out.data[key === '__proto__' ? '_proto_' : key] = value;
}

/** Where `ch` next occurs from `from`; Infinity when it does not, so "is it before X" needs no -1 case. */
function indexFrom(text: string, ch: string, from: number): number {
  const k = text.indexOf(ch, from);
  return k < 0 ? Infinity : k;
}

function sameChars(text: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c < 128 && SPACE[c] === 1;
}

function isSpaceOrGt(c: number): boolean {
  return c === 62 || c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameEnd(c: number): boolean {
  return c < 128 && NAME_END[c] === 1;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}
