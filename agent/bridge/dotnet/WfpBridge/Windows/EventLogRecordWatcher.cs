// IRecordWatcher over System.Diagnostics.Eventing.Reader.EventLogWatcher (net48 only).
// Start runs on a thread-pool thread: Enabled = true delivers the whole backlog synchronously on the calling
// thread. The handler copies the record id and ToXml(), disposes the record, and never calls
// FormatDescription() (very slow). Handlers run on thread-pool threads and need not be serial.
using System;
using System.Diagnostics.Eventing.Reader;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class EventLogRecordWatcher : IRecordWatcher
    {
        private readonly object _lock = new object();
        private EventLogWatcher _watcher;

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            var query = new EventLogQuery(channel, PathType.LogName, queryXml);
            var bookmark = start.Mode == StartMode.After
                ? XmlEventBookmark.Create(BookmarkXml.For(channel, start.RecordId))
                : null;
            // With a bookmark the subscription starts after it; without one, readExisting=true starts at the
            // oldest record (the query's time filter does the rest for Since).
            var watcher = new EventLogWatcher(query, bookmark, readExistingEvents: true);
            watcher.EventRecordWritten += (_, e) => Handle(e, target);
            lock (_lock)
            {
                Stop();
                _watcher = watcher;
            }
            watcher.Enabled = true;
        }

        public void Stop()
        {
            EventLogWatcher watcher;
            lock (_lock)
            {
                watcher = _watcher;
                _watcher = null;
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

        private static void Handle(EventRecordWrittenEventArgs e, IRecordTarget target)
        {
            if (e.EventException != null)
            {
                target.Fail(e.EventException);
                return;
            }
            using (var record = e.EventRecord)
            {
                if (record == null) return;
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
