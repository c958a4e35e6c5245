export type { RawRecord, RecordOrigin } from './raw-record.ts';
export type { DecodeError, DecodeErrorReason, DecodeResult } from './decode-result.ts';
export { formatDecodeError } from './decode-result.ts';
export { decodeItem } from './decode-item.ts';
export { decodeEventXml } from './decode-event-xml.ts';
export { decodeJsonEvent } from './decode-json-event.ts';
export { splitEvents } from './split-events.ts';
export { readInput } from './read-input.ts';
export type { ReadInputResult } from './read-input.ts';
