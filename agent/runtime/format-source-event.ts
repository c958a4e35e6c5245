// One operator line per source event (capitalized sentence ending with a period), or null for the silent ones.
import type { SourceEvent } from '../source/index.ts';

export function formatSourceEvent(event: SourceEvent): string | null {
  switch (event.kind) {
    case 'checkpoint-loaded':
      return `Checkpoint found: everything up to record ${event.recordId} was exported.`;
    case 'checkpoint-unusable':
      return `The checkpoint is ${event.reason}${event.detail === '' ? '' : ` (${event.detail})`}; the configured start position applies.`;
    case 'checkpoint-write-failed':
      return `The checkpoint could not be written; a restart may send some events twice. error=${event.detail}`;
    case 'start':
      return event.detail;
    case 'log-info':
      return (
        `Security log: records ${event.log.oldestRecordId}..${event.log.newestRecordId}, ` +
        `${mib(event.log.fileSizeBytes)} of ${mib(event.log.maxSizeBytes)}, retention ${event.log.retention}.`
      );
    case 'possible-loss':
      return `Possible loss: ${event.detail}`;
    case 'log-cleared':
      return `The Security log was cleared (event 1102, record ${event.recordId}).`;
    case 'render-failed':
      return `Record ${event.recordId} could not be rendered and was skipped (counted in records_dropped{reason="render_failed"}). error=${event.detail}`;
    case 'numbering-restarted':
      return `Record numbering went back below ${event.fromRecordId} while reading: the log was cleared; reading goes on in the new numbering (records not yet read before the clear are gone).`;
    case 'paused':
      return `Reading paused: ${event.detail}`;
    case 'bridge-error':
      return `The event-log subscription failed; it is retried with backoff. error=${event.detail}`;
    case 'newest-record':
      return null;
  }
}

function mib(bytes: number): string {
  return bytes < 0 ? 'unknown size' : `${(bytes / 1048576).toFixed(1)} MiB`;
}
