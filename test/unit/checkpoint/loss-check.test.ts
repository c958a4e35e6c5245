import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessLoss, describeLoss } from '../../../agent/checkpoint/index.ts';

describe('assessLoss', () => {
  it('finds no loss while the checkpoint is still inside the log', () => {
    assert.deepEqual(assessLoss(1000, { oldestRecordId: 500, newestRecordId: 2000 }), { kind: 'none' });
    assert.deepEqual(assessLoss(499, { oldestRecordId: 500, newestRecordId: 2000 }), { kind: 'none' });
    assert.deepEqual(assessLoss(2000, { oldestRecordId: 500, newestRecordId: 2000 }), { kind: 'none' });
  });

  it('counts the overwritten records between the checkpoint and the oldest record when the log wrapped', () => {
    const loss = assessLoss(1000, { oldestRecordId: 1501, newestRecordId: 9000 });
    assert.deepEqual(loss, { kind: 'overwritten', firstLost: 1001, lastLost: 1500, possiblyLost: 500 });
    assert.match(describeLoss(loss), /records 1001\.\.1500 were read: up to 500 records may be lost/);
  });

  it('calls it a clear when the checkpoint is past the newest record (numbering restarted)', () => {
    const loss = assessLoss(304390, { oldestRecordId: 1, newestRecordId: 12 });
    assert.deepEqual(loss, { kind: 'cleared', savedRecordId: 304390, newestRecordId: 12, possiblyLost: null });
    assert.match(describeLoss(loss), /cleared after record 304390/);
  });

  it('calls an empty log behind a checkpoint a clear, and an empty log without one nothing', () => {
    assert.equal(assessLoss(10, { oldestRecordId: -1, newestRecordId: -1 }).kind, 'cleared');
    assert.equal(assessLoss(0, { oldestRecordId: -1, newestRecordId: -1 }).kind, 'none');
  });
});
