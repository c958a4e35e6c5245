// Where live reading starts, from the configured position, the checkpoint and the log's bounds. Pure.
//
//   checkpoint + found      → after the saved record (loss is judged when the bridge subscribes)
//   checkpoint + unusable   → the end of the log (reported by the caller; older events are not read)
//   end                     → after the newest record (the beginning of an empty log)
//   beginning / time        → as configured, the checkpoint ignored
import type { BridgeLogInfo, BridgeStartOptions } from '../bridge/index.ts';
import type { CheckpointLoad } from '../checkpoint/index.ts';
import type { StartPosition } from './record-source.ts';

export interface ChosenStart {
  readonly bridge: BridgeStartOptions['start'];
  readonly detail: string;
}

export function chooseStart(configured: StartPosition, checkpoint: CheckpointLoad, log: BridgeLogInfo): ChosenStart {
  switch (configured.kind) {
    case 'checkpoint':
      if (checkpoint.kind === 'found') {
        return {
          bridge: { mode: 'after', recordId: checkpoint.recordId },
          detail: `Reading resumes after record ${checkpoint.recordId} (checkpoint of ${checkpoint.savedAt || 'unknown time'}).`,
        };
      }
      return atEnd(log, `No usable checkpoint (${checkpoint.kind}): reading starts at the end of the log`);
    case 'end':
      return atEnd(log, 'start_position is end: reading starts at the end of the log');
    case 'beginning':
      return { bridge: { mode: 'beginning' }, detail: 'start_position is beginning: reading starts at the oldest record.' };
    case 'time':
      return { bridge: { mode: 'since', time: configured.time }, detail: `Reading starts at events since ${configured.time}.` };
  }
}

function atEnd(log: BridgeLogInfo, why: string): ChosenStart {
  if (log.newestRecordId < 0) return { bridge: { mode: 'beginning' }, detail: `${why} (the log is empty).` };
  return {
    bridge: { mode: 'after', recordId: log.newestRecordId },
    detail: `${why}, after record ${log.newestRecordId}; older events are not read.`,
  };
}
