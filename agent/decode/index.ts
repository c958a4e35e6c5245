export type { RawRecord, RecordOrigin } from './raw-record.ts';
