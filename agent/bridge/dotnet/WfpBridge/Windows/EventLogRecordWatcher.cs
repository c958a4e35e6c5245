// IRecordWatcher over System.Diagnostics.Eventing.Reader.EventLogWatcher (net48 only).
//
// How EventLogWatcher behaves (its source): Enabled = true calls EvtSubscribe and then walks the whole backlog
// synchronously on the calling thread before it registers the wait for new events; later events arrive on
// thread-pool callbacks that are not guaranteed serial. Enabled = false while that first walk runs on another
// thread closes the handles under it, so this class never does that: a Stop() during Start() only marks the
// subscription, the handler stops rendering at once, and Start() disables the watcher itself when the walk
// returns. Start and Stop run on thread-pool threads (BridgeSession), never on Node's.
// The handler copies the record id and ToXml(), disposes the record, and never calls FormatDescription().
// Nothing escapes the handler (RecordHandler): an exception on the framework's callback thread ends node.exe.
// The one exception thrown on purpose, WalkAborted, is thrown only on the thread that runs Enabled = true (the
// first walk runs there, synchronously), never on a callback thread: it ends a walk that must stop, e.g. the
// framework's endless error loop on a read failure during that walk (dotnet/runtime#109908), once a stop is
// requested or after MaxWalkErrors consecutive errors, so Stop always works and the errors stay bounded.
using System;
using System.Diagnostics.Eventing.Reader;
using System.Threading;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class EventLogRecordWatcher : IRecordWatcher
    {
        private readonly object _lock = new object();
        private EventLogWatcher _current;
        private bool _starting;
        private volatile bool _stopRequested;
        private int _walkThread = -1;
        private int _walkErrors;
        internal const int MaxWalkErrors = 100;

        private sealed class WalkAborted : Exception
        {
        }

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
                _walkErrors = 0;
                _walkThread = Environment.CurrentManagedThreadId;
            }
            var aborted = false;
            try
            {
                watcher.Enabled = true;
            }
            catch (WalkAborted)
            {
                aborted = true;
            }
            catch (Exception) when (_walkErrors >= MaxWalkErrors || _stopRequested)
            {
                // The framework may wrap what the handler threw; the walk was ended on purpose either way.
                aborted = true;
            }
            finally
            {
                bool stopNow;
                lock (_lock)
                {
                    _starting = false;
                    _walkThread = -1;
                    stopNow = _stopRequested || aborted;
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
            var onWalkThread = Environment.CurrentManagedThreadId == Volatile.Read(ref _walkThread);
            try
            {
                if (e.EventException != null)
                {
                    e.EventRecord?.Dispose();
                    if (!_stopRequested) RecordHandler.SafeFail(target, e.EventException);
                    if (onWalkThread && ++_walkErrors >= MaxWalkErrors) throw new WalkAborted();
                }
                else
                {
                    using (var record = e.EventRecord)
                    {
                        if (record != null && !_stopRequested)
                        {
                            _walkErrors = 0;
                            RecordHandler.Handle(() => record.RecordId ?? -1, record.ToXml, target);
                        }
                    }
                }
            }
            catch (WalkAborted)
            {
                throw;
            }
            catch (Exception error)
            {
                // e.EventRecord, Dispose(): anything the framework throws stays here.
                if (!_stopRequested) RecordHandler.SafeFail(target, error);
            }
            if (onWalkThread && _stopRequested) throw new WalkAborted();
        }
    }
}
