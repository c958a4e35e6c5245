export type { SourceItem, SourceBatch, StartPosition, RecordSource } from './record-source.ts';
export { createReplayFileSource, loadReplayFile } from './replay-file-source.ts';
export type { ReplayFileSource, ReplayFileSourceOptions, ReplayFileProblem, LoadedReplayFile } from './replay-file-source.ts';
export { openWindowsEventLogSource, SECURITY_CHANNEL } from './windows-event-log-source.ts';
export type { WindowsEventLogSourceOptions, OpenResult } from './windows-event-log-source.ts';
export { chooseStart } from './choose-start.ts';
export type { ChosenStart } from './choose-start.ts';
export type { SourceEvent, SourceObserver } from './source-event.ts';
