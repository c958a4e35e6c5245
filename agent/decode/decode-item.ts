// The one decoder entry point every source uses: a SourceItem's text -> RawRecord or a located error.
import type { SourceItem } from './source-item.ts';
import type { DecodeResult } from './decode-result.ts';
import { decodeEventXml } from './decode-event-xml.ts';
import { decodeJsonEvent } from './decode-json-event.ts';
import { MAX_RECORD_CHARS } from './record-limits.ts';

export function decodeItem(item: SourceItem): DecodeResult {
  const origin = { file: item.file, position: item.position };
  if (item.text.length > MAX_RECORD_CHARS) {
    const mib = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    const detail = `the record is ${mib(item.text.length)} MiB of text, over the ${mib(MAX_RECORD_CHARS)} MiB limit; skipped`;
    return { ok: false, reason: 'too-large', detail, ...origin, ...(item.line === undefined ? {} : { line: item.line }) };
  }
  const r = item.format === 'json' ? decodeJsonEvent(item.text, origin) : decodeEventXml(item.text, origin);
  if (r.ok || item.line === undefined) return r;
  // Make the line absolute in the file: the XML decoder counts within the item.
  const line = item.format === 'json' ? item.line : item.line + (r.line ?? 1) - 1;
  return { ...r, line };
}
