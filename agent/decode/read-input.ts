// Bytes of an input file -> text, with the encodings Windows tools really write (UTF-8 with or without BOM,
// UTF-16 LE from PowerShell redirection), and a clear refusal for binary .evtx files.

export type ReadInputResult =
  | { readonly ok: true; readonly text: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly detail: string };

const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');

export function readInput(bytes: Uint8Array): ReadInputResult {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, 8).equals(EVTX_MAGIC)) {
    return {
      ok: false,
      detail:
        'binary .evtx file: export it as event XML first (wevtutil qe Security /lf:true /f:xml /e:Events > events.xml, or evtxexport -f xml)',
    };
  }
  if (b.length > 0 && b[0] === 0 && b.every((x) => x === 0)) {
    return { ok: false, detail: `the file is ${b.length} NUL bytes and nothing else (zero-filled: preallocated or never written)` };
  }
  if (b[0] === 0xff && b[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(b.subarray(2)), warnings: [] };
  if (b[0] === 0xfe && b[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(b.subarray(2)), warnings: [] };
  // UTF-16 LE without a BOM: ASCII markup leaves every second byte zero.
  if (b.length >= 4 && b[1] === 0 && b[3] === 0 && b[0] !== 0 && b[2] !== 0) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(b), warnings: ['no byte-order mark; read as UTF-16 LE'] };
  }
  if (b.length >= 4 && b[0] === 0 && b[2] === 0 && b[1] !== 0 && b[3] !== 0) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(b), warnings: ['no byte-order mark; read as UTF-16 BE'] };
  }
  const body = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body), warnings: [] };
  } catch {
    const text = new TextDecoder('utf-8').decode(body);
    return { ok: true, text, warnings: ['not valid UTF-8; invalid bytes were replaced with U+FFFD'] };
  }
}
