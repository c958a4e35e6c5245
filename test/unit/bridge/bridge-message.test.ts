import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseBridgeMessage } from '../../../agent/bridge/index.ts';

describe('parseBridgeMessage', () => {
  it('accepts a records message as the C# Messages.Records builds it', () => {
    const parsed = parseBridgeMessage({ type: 'records', recordIds: [304390, 304391], xml: ['<Event/>', '<Event/>'], newestRecordId: 304400 });
    assert.deepEqual(parsed, { ok: true, value: { type: 'records', recordIds: [304390, 304391], xml: ['<Event/>', '<Event/>'], newestRecordId: 304400 } });
  });

  it('takes record ids that .NET Framework marshalled as strings', () => {
    const parsed = parseBridgeMessage({ type: 'records', recordIds: ['9007199254740991'], xml: ['<Event/>'], newestRecordId: '12' });
    assert.ok(parsed.ok && parsed.value.type === 'records');
    assert.deepEqual(parsed.value.recordIds, [9007199254740991]);
    assert.equal(parsed.value.newestRecordId, 12);
  });

  it('accepts a status with log information, filling gaps with unknowns', () => {
    const parsed = parseBridgeMessage({ type: 'status', state: 'subscribing', detail: 'x', resumeAfter: 5, log: { oldestRecordId: 1, newestRecordId: 9 } });
    assert.ok(parsed.ok && parsed.value.type === 'status');
    assert.deepEqual(parsed.value.log, {
      oldestRecordId: 1, newestRecordId: 9, recordCount: 0, fileSizeBytes: -1, maxSizeBytes: -1, retention: 'unknown', isFull: false, lastWriteUtc: '',
    });
  });

  for (const [name, raw, message] of [
    ['a non-object', 'records', /not an object/],
    ['an unknown type', { type: 'hello' }, /unknown type "hello"/],
    ['arrays of different lengths', { type: 'records', recordIds: [1, 2], xml: ['<Event/>'] }, /one length/],
    ['a negative record id', { type: 'records', recordIds: [-1], xml: ['<Event/>'] }, /not a non-negative integer/],
    ['a fractional record id', { type: 'records', recordIds: [1.5], xml: ['<Event/>'] }, /not a non-negative integer/],
    ['a non-string xml', { type: 'records', recordIds: [1], xml: [7] }, /not a string/],
    ['an unknown status', { type: 'status', state: 'sleeping' }, /unknown state "sleeping"/],
  ] as const) {
    it(`rejects ${name} with one line`, () => {
      const parsed = parseBridgeMessage(raw);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.error, message);
      assert.match(parsed.ok ? '' : parsed.error, /^Bridge message .*\.$/);
    });
  }
});
