// Did the log lose records the agent had not read? Decided from record numbers only: the saved record id
// against the log's oldest and newest record numbers. Never by counting gaps between delivered records:
// record ids are channel-wide and a filtered subscription always has gaps.
//
//   saved ─┐        oldest ───────────── newest
//          └─ lost? ┘   still in the log
//
// - saved + 1 < oldest: records saved+1 .. oldest-1 were overwritten (log wrapped) before they were read.
//   That many channel records are gone; how many of them were events we collect is unknowable (upper bound).
// - saved > newest, or the log is empty: record numbering restarted, so the log was cleared (1102) after the
//   checkpoint; whatever came after the checkpoint and before the clear is gone, count unknown.

export interface LogBounds {
  /** -1 when the log is empty or unknown. */
  readonly oldestRecordId: number;
  readonly newestRecordId: number;
}

export type LossAssessment =
  | { readonly kind: 'none' }
  | { readonly kind: 'overwritten'; readonly firstLost: number; readonly lastLost: number; readonly possiblyLost: number }
  | { readonly kind: 'cleared'; readonly savedRecordId: number; readonly newestRecordId: number; readonly possiblyLost: null };

export function assessLoss(savedRecordId: number, log: LogBounds): LossAssessment {
  if (log.oldestRecordId < 0 || log.newestRecordId < 0) {
    return savedRecordId > 0
      ? { kind: 'cleared', savedRecordId, newestRecordId: -1, possiblyLost: null }
      : { kind: 'none' };
  }
  if (savedRecordId > log.newestRecordId) {
    return { kind: 'cleared', savedRecordId, newestRecordId: log.newestRecordId, possiblyLost: null };
  }
  if (savedRecordId + 1 < log.oldestRecordId) {
    const firstLost = savedRecordId + 1;
    const lastLost = log.oldestRecordId - 1;
    return { kind: 'overwritten', firstLost, lastLost, possiblyLost: lastLost - firstLost + 1 };
  }
  return { kind: 'none' };
}

/** One operator sentence for a loss. */
export function describeLoss(loss: LossAssessment): string {
  switch (loss.kind) {
    case 'none':
      return 'No records were lost.';
    case 'overwritten':
      return (
        `The log wrapped before records ${loss.firstLost}..${loss.lastLost} were read: up to ${loss.possiblyLost} ` +
        'records may be lost (enlarge the Security log or keep the agent running).'
      );
    case 'cleared':
      return (
        `The log was cleared after record ${loss.savedRecordId} was read (its newest record is now ` +
        `${loss.newestRecordId}): events written between the checkpoint and the clear are lost, count unknown.`
      );
  }
}
