// The bounded queue between the watcher's handler threads (producers) and the one sender (consumer), and the
// arithmetic of where to resume after it overflowed.
//
//   handler threads ──Offer──► [ bounded queue ] ──TakeBatchAsync──► sender ──► JS
//                    full: reject, remember the lowest rejected id, ask the controller to stop the watcher
//
// Nothing is lost on overflow: the rejected records are still in the event log, and ResumeAfter() tells the
// controller to resubscribe after the last record that was kept. Records kept out of order behind a rejected
// one are purged so the resumed subscription delivers them once, in order.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace WfpBlockAgent.Bridge
{
    public sealed class RecordQueue
    {
        private readonly object _lock = new object();
        private readonly LinkedList<RawEvent> _items = new LinkedList<RawEvent>();
        private readonly AsyncSignal _changed;
        private long _lastKept;
        private long _lowestRejected = long.MaxValue;
        private long _firstArrivalMs;
        private bool _overflowing;
        private long _rejectedTotal;
        private long _restartedFrom = -1;
        /// <summary>
        /// The queue length at which Offer wakes the consumer: 1 while it waits on an empty queue (to start the
        /// max-delay clock), the batch size once it waits for a batch to fill. Waking it for every record instead
        /// cost a thread-pool hop per record: 30% of a core on the sender at 2,000 records/s (bench:flood).
        /// </summary>
        private int _wakeAtCount = 1;
        /// <summary>Concurrent callbacks may deliver a little out of order; a clear goes back to 1.</summary>
        private const long NumberingRestartGap = 1024;

        /// <param name="capacity">Most records held at once.</param>
        /// <param name="startAfter">The record the subscription resumes after (-1: unknown yet).</param>
        public RecordQueue(int capacity, long startAfter, AsyncSignal changed)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
            _lastKept = startAfter;
            _changed = changed;
        }

        public int Capacity { get; }

        public int Count { get { lock (_lock) return _items.Count; } }

        public bool Overflowing { get { lock (_lock) return _overflowing; } }

        public long RejectedTotal { get { lock (_lock) return _rejectedTotal; } }

        /// <summary>
        /// Handler side, before rendering: false (and the record counts as rejected) when the queue is full or
        /// overflowing, so the handler need not call ToXml() for a record that will be read again later.
        /// </summary>
        public bool Wants(long recordId)
        {
            lock (_lock)
            {
                if (!_overflowing && _items.Count < Capacity) return true;
                RejectLocked(recordId);
            }
            _changed.Set();
            return false;
        }

        /// <summary>
        /// Handler side: blocks while the queue is full, so the watcher's walk waits where it is instead of being
        /// stopped and restarted (a restart walks the remaining backlog again: quadratic on a large backlog).
        /// False when the token was cancelled (stop, or the subscription is being replaced).
        /// </summary>
        public bool WaitForRoom(CancellationToken token)
        {
            lock (_lock)
            {
                while (_items.Count >= Capacity && !token.IsCancellationRequested) Monitor.Wait(_lock, 50);
                return !token.IsCancellationRequested;
            }
        }

        /// <summary>
        /// The newest kept id when record numbering went backwards (the log was cleared under a running
        /// subscription): ids restart at 1, so the resume position follows them. -1 when it did not happen.
        /// </summary>
        public long TakeNumberingRestart()
        {
            lock (_lock)
            {
                var before = _restartedFrom;
                _restartedFrom = -1;
                return before;
            }
        }

        /// <summary>Handler side. False when the record was not kept (it stays in the log and is read again).</summary>
        public bool Offer(RawEvent record)
        {
            bool kept;
            bool wake = true;
            lock (_lock)
            {
                kept = !_overflowing && _items.Count < Capacity;
                if (kept)
                {
                    if (_items.Count == 0) _firstArrivalMs = NowMs();
                    _items.AddLast(record);
                    if (record.RecordId > _lastKept) _lastKept = record.RecordId;
                    else if (record.RecordId < _lastKept - NumberingRestartGap || (record.RecordId == 1 && _lastKept > 1))
                    {
                        // Ids went backwards by more than handler reordering explains: numbering restarted.
                        _restartedFrom = _lastKept;
                        _lastKept = record.RecordId;
                    }
                    wake = _items.Count >= _wakeAtCount;
                }
                else
                {
                    RejectLocked(record.RecordId);
                }
            }
            if (wake) _changed.Set();
            return kept;
        }

        private void RejectLocked(long recordId)
        {
            _rejectedTotal++;
            _overflowing = true;
            if (recordId < _lowestRejected)
            {
                _lowestRejected = recordId;
                PurgeFrom(recordId);
            }
        }

        /// <summary>
        /// Where the next subscription must start so that nothing is lost: after the lowest rejected record minus
        /// one while overflowing, else after the newest kept record. -1 when nothing is known (keep the original
        /// start position).
        /// </summary>
        public long ResumeAfter()
        {
            lock (_lock)
            {
                if (_overflowing) return Math.Min(_lowestRejected - 1, _lastKept);
                return _lastKept;
            }
        }

        /// <summary>Called by the controller just before it resubscribes after ResumeAfter(); accepts records again.</summary>
        public void Reopen(long resumeAfter)
        {
            lock (_lock)
            {
                _overflowing = false;
                _lowestRejected = long.MaxValue;
                PurgeFrom(resumeAfter + 1);
                _lastKept = resumeAfter;
                Monitor.PulseAll(_lock);
            }
        }

        /// <summary>
        /// The log was cleared (numbering restarts): the next subscription reads the new log from its beginning.
        /// Records still queued from the old numbering are kept and sent; only the position is forgotten.
        /// </summary>
        public void ResetNumbering()
        {
            lock (_lock)
            {
                _overflowing = false;
                _lowestRejected = long.MaxValue;
                _lastKept = -1;
                Monitor.PulseAll(_lock);
            }
        }

        /// <summary>
        /// Consumer side: up to `max` records once `max` are queued, the oldest waited `maxDelay`, or the queue is
        /// overflowing; an empty list when nothing arrived within `idle` or the token was cancelled.
        /// </summary>
        public async Task<IReadOnlyList<RawEvent>> TakeBatchAsync(int max, TimeSpan maxDelay, TimeSpan idle, CancellationToken token)
        {
            var idleUntil = NowMs() + (long)idle.TotalMilliseconds;
            while (!token.IsCancellationRequested)
            {
                long waitMs;
                lock (_lock)
                {
                    var now = NowMs();
                    var age = _items.Count == 0 ? 0 : now - _firstArrivalMs;
                    if (_items.Count >= max || (_overflowing && _items.Count > 0) || (_items.Count > 0 && age >= maxDelay.TotalMilliseconds))
                    {
                        return TakeLocked(max);
                    }
                    if (_items.Count == 0 && now >= idleUntil) break;
                    waitMs = _items.Count == 0 ? idleUntil - now : (long)maxDelay.TotalMilliseconds - age;
                    _wakeAtCount = _items.Count == 0 ? 1 : max;
                }
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(1, waitMs)), token).ConfigureAwait(false);
            }
            return Array.Empty<RawEvent>();
        }

        private List<RawEvent> TakeLocked(int max)
        {
            var batch = new List<RawEvent>(Math.Min(max, _items.Count));
            while (batch.Count < max && _items.First != null)
            {
                batch.Add(_items.First.Value);
                _items.RemoveFirst();
            }
            if (_items.Count > 0) _firstArrivalMs = NowMs();
            Monitor.PulseAll(_lock);
            return batch;
        }

        private void PurgeFrom(long recordId)
        {
            var node = _items.First;
            while (node != null)
            {
                var next = node.Next;
                if (node.Value.RecordId >= recordId) _items.Remove(node);
                node = next;
            }
        }

        private static long NowMs() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;
    }
}
