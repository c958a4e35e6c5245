// How big one record may be. A Windows event log record is at most 64 KB on disk, and rendered XML stays
// near that; converters and shippers can inflate a field, so the limit is generous (the decoder handles a
// 10 MB field), but a 100 MB "record" is refused on its length before anything copies or scans it.

/** Characters of one record's text (XML or JSON) beyond which it is a `too-large` error. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
