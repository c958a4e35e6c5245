// Input text -> one SourceItem per event, whatever the wrapping: concatenated <Event>s, an <Events> wrapper,
// pretty-printed, with an XML declaration or comments; or JSON lines (one object per line) / a JSON array.
// Splitting never fails: text that is not an event becomes an item of its own, and decoding it reports why,
// so one bad record never hides the good ones after it.
import type { SourceItem } from './source-item.ts';
import { MAX_RECORD_CHARS } from './record-limits.ts';

export function splitEvents(text: string, file: string): SourceItem[] {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i >= text.length) return [];
  const c = text.charCodeAt(i);
  if (c === 123 /* { */) return splitJsonLines(text, file);
  if (c === 91 /* [ */) return splitJsonArray(text, file, i);
  return splitXml(text, file);
}

function splitJsonLines(text: string, file: string): SourceItem[] {
  const items: SourceItem[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let nl = text.indexOf('\n', from);
    if (nl < 0) nl = text.length;
    line++;
    let s = from;
    let e = nl;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) s++;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) items.push({ text: text.slice(s, e), format: 'json', recordId: null, file, position: items.length + 1, line });
    from = nl + 1;
  }
  return items;
}

/**
 * A JSON array split by scanning its text, not parsed and re-serialized: each element keeps its own text and
 * line, a broken element is an error of its own, and nesting costs no recursion (JSON.stringify of a value
 * nested 200,000 deep overflows the stack). Anything that is not one whole array goes to the line splitter.
 */
function splitJsonArray(text: string, file: string, start: number): SourceItem[] {
  const items: SourceItem[] = [];
  const n = text.length;
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < start; k = text.indexOf('\n', k + 1)) line++;
  let depth = 0; // brackets open inside the current element
  let elementStart = -1;
  let closed = -1;
  const push = (e: number): void => {
    let end = e;
    while (end > elementStart && isSpace(text.charCodeAt(end - 1))) end--;
    items.push({ text: text.slice(elementStart, end), format: 'json', recordId: null, file, position: items.length + 1, line: elementLine });
    elementStart = -1;
  };
  let elementLine = line;
  for (let i = start + 1; i < n && closed < 0; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (elementStart < 0) {
      if (isSpace(c)) continue;
      if (depth === 0 && c === 93 /* ] */ && items.length === 0) {
        closed = i;
        break;
      }
      elementStart = i;
      elementLine = line;
    }
    if (c === 34 /* " */) {
      // Skip the string, honouring backslash escapes.
      let k = i + 1;
      while (k < n && text.charCodeAt(k) !== 34) k += text.charCodeAt(k) === 92 ? 2 : 1;
      i = k;
    } else if (c === 123 || c === 91) {
      depth++;
    } else if (c === 125 || c === 93) {
      if (depth === 0) {
        if (c === 93) {
          push(i);
          closed = i;
        }
      } else depth--;
    } else if (c === 44 /* , */ && depth === 0) {
      push(i);
    }
  }
  if (closed < 0 || !isBlankBetween(text, closed + 1, n)) return splitJsonLines(text, file);
  return items;
}

function splitXml(text: string, file: string): SourceItem[] {
  const items: SourceItem[] = [];
  const n = text.length;
  let line = 1;
  let lineCountedTo = 0;
  const lineOf = (at: number): number => {
    for (let k = text.indexOf('\n', lineCountedTo); k >= 0 && k < at; k = text.indexOf('\n', k + 1)) line++;
    lineCountedTo = Math.max(lineCountedTo, at);
    return line;
  };
  const push = (s: number, e: number): void => {
    // An oversized record is refused by decodeItem on its length alone: keep it as a view, not a copy.
    const itemText = e - s > MAX_RECORD_CHARS ? text.slice(s, e) : flatCopy(text, s, e);
    items.push({ text: itemText, format: 'xml', recordId: null, file, position: items.length + 1, line: lineOf(s) });
  };

  let depth = 0; // element depth outside any event (an <Events> wrapper)
  let eventStart = -1;
  let eventDepth = 0;
  let lastEventTagEnd = -1; // just past the latest <Event ...> start tag
  let strayStart = -1; // start of text that belongs to no event
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (eventStart < 0 && strayStart < 0) {
      const to = lt < 0 ? n : lt;
      for (let k = i; k < to; k++) {
        if (!isSpace(text.charCodeAt(k))) {
          strayStart = k;
          break;
        }
      }
    }
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    let close: number;
    if (c === 33 /* ! */ || c === 63 /* ? */) {
      const terminator = text.startsWith('<!--', lt) ? '-->' : text.startsWith('<![CDATA[', lt) ? ']]>' : '>';
      const t = text.indexOf(terminator, lt + 2);
      close = t < 0 ? n : t + terminator.length;
      i = close;
      continue;
    }
    close = tagEnd(text, lt);
    const isEnd = c === 47;
    const selfClosing = !isEnd && text.charCodeAt(close - 2) === 47;
    const name = tagLocalName(text, lt + (isEnd ? 2 : 1));
    if (eventStart < 0) {
      if (!isEnd && name === 'Event') {
        if (strayStart >= 0) {
          push(strayStart, lt);
          strayStart = -1;
        }
        if (selfClosing) push(lt, close);
        else {
          eventStart = lt;
          eventDepth = 1;
          lastEventTagEnd = close;
        }
      } else if (!isEnd && name === 'Events' && !selfClosing) {
        depth++;
      } else if (isEnd && name === 'Events' && depth > 0) {
        depth--;
      } else if (strayStart < 0) {
        strayStart = lt;
      }
    } else if (!isEnd && name === 'Event' && !selfClosing && lastEventTagEnd >= 0 && isBlankBetween(text, lastEventTagEnd, lt)) {
      // <Event><Event>...: nesting, not truncation (an event cut off right after its start tag has nothing
      // to lose). One item, which the decoder refuses as too deep: 200,000 of them are one error, not 200,000.
      eventDepth++;
      lastEventTagEnd = close;
    } else if (!isEnd && name === 'Event' && eventDepth > 0) {
      // An <Event> can never nest: the previous one was truncated. Cut it here so the next one survives.
      push(eventStart, lt);
      lastEventTagEnd = selfClosing ? -1 : close;
      eventStart = selfClosing ? -1 : lt;
      eventDepth = 1;
      if (selfClosing) push(lt, close);
    } else if (isEnd) {
      eventDepth--;
      if (eventDepth === 0) {
        push(eventStart, close);
        eventStart = -1;
      }
      lastEventTagEnd = -1;
    } else if (!selfClosing) {
      eventDepth++;
      lastEventTagEnd = -1;
    } else {
      lastEventTagEnd = -1;
    }
    i = close;
  }
  if (eventStart >= 0) push(eventStart, n);
  else if (strayStart >= 0) push(strayStart, n);
  return items;
}

/**
 * The event's text as a string of its own. `slice` would give V8 a view into the whole file, whose
 * character reads cost the decoder ~40 % more instructions (measured with callgrind on the bench events);
 * a leading space (which XML and JSON both ignore) makes a concatenation that V8 flattens into a copy on
 * first use, as the live bridge's strings already are.
 */
function flatCopy(text: string, s: number, e: number): string {
  const copy = ' ' + text.slice(s, e);
  copy.charCodeAt(0);
  return copy;
}

/** Index just past the `>` that ends the tag opening at `lt`, honouring quoted attribute values. */
function tagEnd(text: string, lt: number): number {
  let k = lt + 1;
  const n = text.length;
  while (k < n) {
    const ch = text.charCodeAt(k);
    if (ch === 62) return k + 1;
    if (ch === 34 || ch === 39) {
      const q = text.indexOf(ch === 34 ? '"' : "'", k + 1);
      if (q < 0) return n;
      k = q + 1;
      continue;
    }
    if (ch === 60 && k > lt) return k; // a new tag begins: this one was truncated
    k++;
  }
  return n;
}

function tagLocalName(text: string, from: number): string {
  let k = from;
  while (k < text.length) {
    const ch = text.charCodeAt(k);
    if (isSpace(ch) || ch === 62 || ch === 47 || ch === 60) break;
    k++;
  }
  const q = text.slice(from, k);
  const colon = q.indexOf(':');
  return colon < 0 ? q : q.slice(colon + 1);
}

function isBlankBetween(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!isSpace(text.charCodeAt(k))) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}
