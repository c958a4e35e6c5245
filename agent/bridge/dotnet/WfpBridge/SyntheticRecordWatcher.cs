// A record producer without Windows, over a SyntheticLog: behaves like EventLogWatcher as the bridge uses it.
// Start walks the backlog on the calling thread (like Enabled = true), then a tail thread delivers records as
// the log "writes" them, until Stop. A bookmark resolves like a non-strict EvtSubscribe: a bookmark whose
// record is gone starts after the closest record (after a wrap: the oldest is skipped; after a clear: the
// end). Used by the xunit tests, and through Startup by `producer: { kind: 'synthetic' }` (edge-js tests,
// `wfp-agent run --synthetic-source`, benchmarks). Visits counts records handed to the handler.
using System;
using System.Collections.Generic;
using System.Threading;

namespace WfpBlockAgent.Bridge
{
    public sealed class SyntheticRecordWatcher : IRecordWatcher, ILogInfoReader
    {
        private static readonly TimeSpan MaxTailSleep = TimeSpan.FromMilliseconds(20);
        private readonly SyntheticLog _log;
        private readonly object _deliver = new object();
        private int _generation;
        private long _visits;

        /// <summary>A fixed backlog of `count` records from firstId, all with the same template.</summary>
        public SyntheticRecordWatcher(long firstId, long count, string template)
            : this(new SyntheticLog(new SyntheticSpec { FirstId = firstId, Count = count, Backlog = count, DefaultTemplate = template }))
        {
        }

        public SyntheticRecordWatcher(SyntheticLog log) => _log = log;

        public SyntheticLog Log => _log;

        /// <summary>Subscriptions started so far, with the position each started from.</summary>
        public List<string> Starts { get; } = new List<string>();

        /// <summary>Thrown by the next Start (once), to test error handling.</summary>
        public Exception FailNextStart { get; set; }

        /// <summary>Records handed to the handler so far (a record offered twice counts twice).</summary>
        public long Visits => Interlocked.Read(ref _visits);

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            lock (Starts) Starts.Add(start.ToString());
            var failure = FailNextStart;
            FailNextStart = null;
            if (failure != null) throw failure;
            int generation;
            lock (_deliver) generation = Interlocked.Increment(ref _generation);
            var next = Deliver(FirstIndex(start), generation, target);
            if (Volatile.Read(ref _generation) != generation) return;
            var tail = new Thread(() => Tail(next, generation, target)) { IsBackground = true, Name = "synthetic-tail" };
            tail.Start();
        }

        /// <summary>Ends the subscription; once it returns, nothing more reaches the handler.</summary>
        public void Stop()
        {
            Interlocked.Increment(ref _generation);
            // Wait for a delivery in progress to end.
            lock (_deliver) { }
        }

        public LogInfo Read(string channel) => _log.Info();

        private long FirstIndex(StartPosition start)
        {
            var written = _log.Written();
            if (written == 0) return 0;
            var oldest = _log.OldestIndex(written);
            switch (start.Mode)
            {
                case StartMode.Beginning:
                    return oldest;
                case StartMode.Since:
                    long lo = oldest, hi = written;
                    while (lo < hi)
                    {
                        var mid = lo + (hi - lo) / 2;
                        if (_log.TimeOf(mid) >= start.SinceUtc) hi = mid;
                        else lo = mid + 1;
                    }
                    return lo;
                default:
                    var at = _log.IndexOf(start.RecordId, _log.NumberingOf(written - 1));
                    if (at < oldest) return oldest + 1;
                    if (at >= written) return written;
                    return at + 1;
            }
        }

        /// <summary>Delivers what exists from write index `next`; returns the next index to deliver.</summary>
        private long Deliver(long next, int generation, IRecordTarget target)
        {
            while (true)
            {
                var written = _log.Written();
                if (next >= written) return next;
                // Overwritten before it was read: a push subscription goes on with what is left.
                next = Math.Max(next, _log.OldestIndex(written));
                lock (_deliver)
                {
                    if (Volatile.Read(ref _generation) != generation) return next;
                    Interlocked.Increment(ref _visits);
                    var k = next;
                    RecordHandler.Handle(() => _log.IdOf(k), () => _log.Render(k), target);
                }
                next++;
            }
        }

        private void Tail(long next, int generation, IRecordTarget target)
        {
            try
            {
                while (Volatile.Read(ref _generation) == generation)
                {
                    next = Deliver(next, generation, target);
                    var wait = _log.MsUntil(next);
                    Thread.Sleep(double.IsInfinity(wait) || wait > MaxTailSleep.TotalMilliseconds ? MaxTailSleep : TimeSpan.FromMilliseconds(Math.Max(1, wait)));
                }
            }
            catch (Exception error)
            {
                // Never let an exception escape a thread: on .NET it ends the process.
                if (Volatile.Read(ref _generation) == generation) target.Fail(error);
            }
        }
    }
}
