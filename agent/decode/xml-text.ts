// XML character data: the five predefined entities and character references, nothing else.
// Custom entities (and so entity-expansion attacks) are impossible: a DTD is rejected and any other
// `&name;` is an error.

export type TextResult = { ok: true; text: string } | { ok: false; detail: string };

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decode entity and character references in `text[start, end)`. Fast path: no `&`, plain slice. */
export function decodeXmlText(text: string, start: number, end: number, firstAmp?: number): TextResult {
  // Callers that track the next '&' pass it, so text without references costs one slice and no scan.
  let amp = firstAmp ?? text.indexOf('&', start);
  if (amp < 0 || amp >= end) return { ok: true, text: text.slice(start, end) };
  let out = '';
  let from = start;
  while (amp >= 0 && amp < end) {
    const semi = text.indexOf(';', amp + 1);
    if (semi < 0 || semi >= end || semi - amp > 12) {
      return { ok: false, detail: `unterminated entity reference at '${text.slice(amp, Math.min(amp + 12, end))}'` };
    }
    const name = text.slice(amp + 1, semi);
    let replacement: string | undefined;
    if (name.charCodeAt(0) === 35 /* # */) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      const valid = /^#(x[0-9a-fA-F]+|[0-9]+)$/.test(name) && isXmlChar(code);
      if (!valid) return { ok: false, detail: `invalid character reference '&${name};'` };
      replacement = String.fromCodePoint(code);
    } else {
      replacement = PREDEFINED[name];
      if (replacement === undefined) return { ok: false, detail: `unknown entity '&${name};' (only XML's predefined entities are allowed)` };
    }
    out += text.slice(from, amp) + replacement;
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return { ok: true, text: out + text.slice(from, end) };
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
