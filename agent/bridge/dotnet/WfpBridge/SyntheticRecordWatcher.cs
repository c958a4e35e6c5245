// A record producer without Windows: a fixed number of records from an XML template whose {id} is replaced
// by the record id. Used by the xunit tests and by `producer: 'synthetic'` to exercise the edge-js marshalling
// path on a machine without an event log. Honours Wants() like the real watcher (rejected records are
// "still in the log" and produced again after a resubscribe from a bookmark).
using System;
using System.Collections.Generic;
using System.Threading;

namespace WfpBlockAgent.Bridge
{
    public sealed class SyntheticRecordWatcher : IRecordWatcher, ILogInfoReader
    {
        private readonly long _firstId;
        private readonly long _lastId;
        private readonly string _template;
        private int _generation;

        public SyntheticRecordWatcher(long firstId, long count, string template)
        {
            _firstId = firstId;
            _lastId = firstId + count - 1;
            _template = template;
        }

        /// <summary>Subscriptions started so far, with the position each started from.</summary>
        public List<string> Starts { get; } = new List<string>();

        /// <summary>Thrown by the next Start (once), to test error handling.</summary>
        public Exception FailNextStart { get; set; }

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            lock (Starts) Starts.Add(start.ToString());
            var failure = FailNextStart;
            FailNextStart = null;
            if (failure != null) throw failure;
            var generation = Interlocked.Increment(ref _generation);
            var from = start.Mode == StartMode.After ? Math.Max(start.RecordId + 1, _firstId) : _firstId;
            for (var id = from; id <= _lastId && Volatile.Read(ref _generation) == generation; id++)
            {
                if (!target.Wants(id)) continue;
                target.Offer(new RawEvent(id, _template.Replace("{id}", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        public void Stop() => Interlocked.Increment(ref _generation);

        public LogInfo Read(string channel) => new LogInfo
        {
            OldestRecordId = _firstId,
            NewestRecordId = _lastId,
            RecordCount = _lastId - _firstId + 1,
            Retention = "overwrite",
        };
    }
}
