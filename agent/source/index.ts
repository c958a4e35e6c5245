export type { SourceItem, SourceBatch, StartPosition, RecordSource } from './record-source.ts';
