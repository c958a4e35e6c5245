export type { SourceItem, SourceBatch, StartPosition, RecordSource } from './record-source.ts';
export { createReplayFileSource, loadReplayFile } from './replay-file-source.ts';
export type { ReplayFileSource, ReplayFileSourceOptions, ReplayFileProblem, LoadedReplayFile } from './replay-file-source.ts';
