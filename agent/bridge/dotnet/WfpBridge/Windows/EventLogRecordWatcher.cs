// IRecordWatcher over System.Diagnostics.Eventing.Reader.EventLogWatcher (net48 only).
//
// How EventLogWatcher behaves (its source): Enabled = true calls EvtSubscribe and then walks the whole backlog
// synchronously on the calling thread before it registers the wait for new events; later events arrive on
// thread-pool callbacks that are not guaranteed serial. Enabled = false while that first walk runs on another
// thread closes the handles under it, so this class never does that: a Stop() during Start() only marks the
// subscription, the handler stops rendering at once, and Start() disables the watcher itself when the walk
// returns. Start and Stop run on thread-pool threads (BridgeSession), never on Node's.
// The handler copies the record id and ToXml(), disposes the record, and never calls FormatDescription().
using System;
using System.Diagnostics.Eventing.Reader;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class EventLogRecordWatcher : IRecordWatcher
    {
        private readonly object _lock = new object();
        private EventLogWatcher _current;
        private bool _starting;
        private volatile bool _stopRequested;

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            var query = new EventLogQuery(channel, PathType.LogName, queryXml);
            // With a bookmark the subscription starts after it (EventLogWatcher then ignores readExisting);
            // without one, readExisting=true starts at the oldest record (the query's time filter does Since).
            var bookmark = start.Mode == StartMode.After
                ? XmlEventBookmark.Create(BookmarkXml.For(channel, start.RecordId))
                : null;
            var watcher = new EventLogWatcher(query, bookmark, readExistingEvents: true);
            watcher.EventRecordWritten += (_, e) => Handle(e, target);
            Stop();
            lock (_lock)
            {
                _current = watcher;
                _starting = true;
                _stopRequested = false;
            }
            try
            {
                watcher.Enabled = true;
            }
            finally
            {
                bool stopNow;
                lock (_lock)
                {
                    _starting = false;
                    stopNow = _stopRequested;
                }
                if (stopNow) Stop();
            }
        }

        public void Stop()
        {
            EventLogWatcher watcher;
            lock (_lock)
            {
                _stopRequested = true;
                if (_starting) return;
                watcher = _current;
                _current = null;
            }
            if (watcher == null) return;
            try
            {
                watcher.Enabled = false;
            }
            finally
            {
                watcher.Dispose();
            }
        }

        private void Handle(EventRecordWrittenEventArgs e, IRecordTarget target)
        {
            if (e.EventException != null)
            {
                e.EventRecord?.Dispose();
                if (!_stopRequested) target.Fail(e.EventException);
                return;
            }
            using (var record = e.EventRecord)
            {
                if (record == null || _stopRequested) return;
                var id = record.RecordId ?? -1;
                if (!target.Wants(id)) return;
                string xml;
                try
                {
                    xml = record.ToXml();
                }
                catch (EventLogException error)
                {
                    target.Fail(error);
                    return;
                }
                target.Offer(new RawEvent(id, xml));
            }
        }
    }
}
