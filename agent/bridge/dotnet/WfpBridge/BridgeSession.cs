// One live subscription and the two loops that drive it. Everything here runs on thread-pool threads.
//
//   watcher threads ──Wants/Offer──► RecordQueue ──► sender loop ──send(records)──► JS ──answer──► next batch
//          ▲                             │  full / error                   ▲
//          │ Start/Stop                  ▼                                 │ status messages (subscribed,
//          └──────────────────────── control loop ─────────────────────────┘ paused, error)
//
// The sender sends one records batch at a time and waits for JS's answer before the next (JS answers once it
// has taken the batch; while JS is not reading, nothing more is sent and the queue fills). Status messages go in
// order with the records, except reports (skipped, paused, error): while a batch's answer is held (an export
// outage) they go in a second, concurrent call, so the admin sees a render failure or a channel error during
// the outage instead of after it. 'subscribing' and 'restarted' change how JS reads the records that follow
// (loss judgement, numbering) and always wait for their turn. The control loop stops
// the watcher when the queue overflows and resubscribes after ResumeAfter() once it drained below ResumeBelow;
// on a channel error it stops, backs off and resubscribes the same way. The event log is the buffer.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace WfpBlockAgent.Bridge
{
    public sealed class BridgeSession : IRecordTarget
    {
        private static readonly TimeSpan ControlTick = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan SenderIdle = TimeSpan.FromMilliseconds(250);
        private const int MaxPendingStatus = 32;

        private readonly BridgeOptions _options;
        private readonly IRecordWatcher _watcher;
        private readonly ILogInfoReader _logInfo;
        private readonly Func<object, Task<object>> _send;
        private readonly Func<TimeSpan, CancellationToken, Task> _delay;
        private readonly string _queryXml;
        private readonly RecordQueue _queue;
        private readonly AsyncSignal _queueChanged = new AsyncSignal();
        private readonly AsyncSignal _control = new AsyncSignal();
        // Pending status messages, oldest first, at most MaxPendingStatus (the oldest report goes first when full).
        private readonly object _statusLock = new object();
        private readonly LinkedList<Dictionary<string, object>> _status = new LinkedList<Dictionary<string, object>>();
        // Completed (and replaced) whenever a report is posted: wakes the concurrent sender while a batch is held.
        private TaskCompletionSource<bool> _reportPosted = NewWake();
        // Bounded on purpose: one pending channel error and a count (a failing channel may report errors in a loop).
        private Exception _pendingError;
        private long _errorReports;
        private long _skipped;
        private readonly CancellationTokenSource _cts = new CancellationTokenSource();
        private CancellationTokenSource _subscription = new CancellationTokenSource();
        private readonly Backoff _subscribeBackoff;
        private readonly Backoff _sendBackoff;
        private readonly Backoff _reportBackoff;
        private int _errors;
        private Task _loops = Task.CompletedTask;
        private long _newestRecordId = -1;
        private DateTime _newestReadAt = DateTime.MinValue;
        private int _started;
        private bool _numberingReset;

        public BridgeSession(
            BridgeOptions options,
            IRecordWatcher watcher,
            ILogInfoReader logInfo,
            Func<object, Task<object>> send,
            Func<TimeSpan, CancellationToken, Task> delay = null)
        {
            _options = options;
            _watcher = watcher;
            _logInfo = logInfo;
            _send = send;
            _delay = delay ?? DelayIgnoringCancel;
            _queryXml = QueryBuilder.QueryList(options.Channel, options.EventIds,
                options.Start.Mode == StartMode.Since ? options.Start.SinceUtc : (DateTime?)null);
            _queue = new RecordQueue(options.QueueBound, options.Start.Mode == StartMode.After ? options.Start.RecordId : -1, _queueChanged);
            _subscribeBackoff = new Backoff(options.BackoffInitial, options.BackoffMax);
            _sendBackoff = new Backoff(options.BackoffInitial, options.BackoffMax);
            _reportBackoff = new Backoff(options.BackoffInitial, options.BackoffMax);
        }

        public int Subscriptions { get; private set; }
        public int Pauses { get; private set; }
        public int Errors => Volatile.Read(ref _errors);
        /// <summary>Channel errors the watcher reported (all of them, while only one is kept).</summary>
        public long ErrorReports => Interlocked.Read(ref _errorReports);
        /// <summary>Records skipped because they could not be rendered.</summary>
        public long Skipped => Interlocked.Read(ref _skipped);
        public RecordQueue Queue => _queue;

        /// <summary>Starts both loops on the thread pool and returns at once.</summary>
        public void Start()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("The session was already started.");
            var control = Task.Run(ControlLoopAsync);
            var sender = Task.Run(SenderLoopAsync);
            _loops = Task.WhenAll(control, sender);
        }

        /// <summary>Stops the loops and the watcher; waits at most StopTimeout. Idempotent. Runs on the thread pool.</summary>
        public Task<bool> StopAsync() => Task.Run(StopCoreAsync);

        private async Task<bool> StopCoreAsync()
        {
            _cts.Cancel();
            _control.Set();
            _queueChanged.Set();
            // Stop the watcher first: the control loop may be inside its Start (the first walk), which a blocked
            // handler or the framework's error loop would otherwise keep there until the timeout.
            StopWatcher();
            var finished = await Task.WhenAny(_loops, Task.Delay(_options.StopTimeout)).ConfigureAwait(false) == _loops;
            await ThreadPoolHop.Instance;
            StopWatcher();
            return finished;
        }

        bool IRecordTarget.Wants(long recordId)
        {
            var token = Volatile.Read(ref _subscription).Token;
            if (!_queue.WaitForRoom(token)) return false;
            if (_queue.Wants(recordId)) return true;
            _control.Set();
            return false;
        }

        void IRecordTarget.Skip(long recordId, Exception error)
        {
            var total = Interlocked.Increment(ref _skipped);
            var status = Messages.Status("skipped", "Record " + recordId + " cannot be rendered and is skipped: " + Describe(error), recordId, null);
            status["skippedTotal"] = (double)total;
            PostStatus(status);
        }

        void IRecordTarget.Offer(RawEvent record)
        {
            if (!_queue.Offer(record)) _control.Set();
        }

        void IRecordTarget.Fail(Exception error)
        {
            Interlocked.Increment(ref _errorReports);
            Interlocked.CompareExchange(ref _pendingError, error, null);
            _control.Set();
        }

        private async Task ControlLoopAsync()
        {
            var token = _cts.Token;
            var paused = false;
            await SubscribeAsync(_options.Start, token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                await _control.WaitAsync(ControlTick, token).ConfigureAwait(false);
                if (token.IsCancellationRequested) break;
                var error = Interlocked.Exchange(ref _pendingError, null);
                if (error != null)
                {
                    Interlocked.Increment(ref _errors);
                    StopWatcher();
                    PostStatus("error", Describe(error), _queue.ResumeAfter());
                    await _delay(_subscribeBackoff.Next(), token).ConfigureAwait(false);
                    paused = false;
                    await ResubscribeAsync(token).ConfigureAwait(false);
                    continue;
                }
                var restartedFrom = _queue.TakeNumberingRestart();
                if (restartedFrom >= 0)
                {
                    PostStatus("restarted", "Record numbering went back below " + restartedFrom + " while reading: the log was cleared.", restartedFrom, ReadLogInfo());
                }
                if (!paused && _queue.Overflowing)
                {
                    StopWatcher();
                    paused = true;
                    Pauses++;
                    PostStatus("paused", "The queue is full (" + _queue.Capacity + " records): reading stops until JS catches up.", _queue.ResumeAfter());
                }
                if (paused && _queue.Count <= _options.ResumeBelow)
                {
                    paused = false;
                    await ResubscribeAsync(token).ConfigureAwait(false);
                }
            }
            StopWatcher();
        }

        private Task ResubscribeAsync(CancellationToken token)
        {
            var after = _queue.ResumeAfter();
            // Nothing kept yet: the configured start, unless the log was cleared since (then the new log's beginning).
            if (after < 0) return SubscribeAsync(_numberingReset ? StartPosition.Beginning() : _options.Start, token);
            _queue.Reopen(after);
            return SubscribeAsync(StartPosition.After(after), token);
        }

        /// <summary>Subscribes, retrying with backoff until it works or the session stops.</summary>
        private async Task SubscribeAsync(StartPosition start, CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                var log = ReadLogInfo();
                var from = StrictStart(start, log);
                // After a clear the numbering restarts: the queue's position must follow the new ids.
                if (start.Mode == StartMode.After && from.Mode == StartMode.Beginning && log != null && start.RecordId > log.NewestRecordId)
                {
                    _queue.ResetNumbering();
                    _numberingReset = true;
                }
                PostStatus("subscribing", "Subscribing to " + _options.Channel + " from " + from + ".", start.Mode == StartMode.After ? start.RecordId : -1, log);
                Volatile.Write(ref _subscription, new CancellationTokenSource());
                try
                {
                    _watcher.Start(_options.Channel, _queryXml, from, this);
                    Subscriptions++;
                    _subscribeBackoff.Reset();
                    return;
                }
                catch (Exception error)
                {
                    Interlocked.Increment(ref _errors);
                    StopWatcher();
                    PostStatus("error", Describe(error), start.Mode == StartMode.After ? start.RecordId : -1);
                    await _delay(_subscribeBackoff.Next(), token).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// EventLogWatcher subscribes without EvtSubscribeStrict: a bookmark whose record is gone starts after the
        /// closest record, so after a wrap the oldest surviving record would be skipped, and after a clear
        /// everything since the clear (the 1102 included). Decide from the log's bounds instead, as Beats does
        /// with a strict bookmark and a fallback to the oldest record: a bookmark older than the oldest record
        /// or newer than the newest starts at the oldest. JS reports the loss (range after a wrap, "cleared"
        /// otherwise) from the same bounds in the "subscribing" status.
        /// </summary>
        internal static StartPosition StrictStart(StartPosition start, LogInfo log)
        {
            if (start.Mode != StartMode.After || log == null) return start;
            // Empty log, or the bookmark is past the newest record: the log was cleared; read the new one whole.
            if (log.NewestRecordId < 0 || start.RecordId > log.NewestRecordId) return StartPosition.Beginning();
            return start.RecordId < log.OldestRecordId ? StartPosition.Beginning() : start;
        }

        private async Task SenderLoopAsync()
        {
            var token = _cts.Token;
            while (!token.IsCancellationRequested)
            {
                if (!await SendStatusesAsync(token).ConfigureAwait(false)) return;
                var batch = await _queue.TakeBatchAsync(_options.BatchSize, _options.MaxDelay, SenderIdle, token).ConfigureAwait(false);
                // A status posted while this loop waited goes before the batch: "subscribing" is posted before the
                // watcher starts, so it always precedes that subscription's first records.
                if (!await SendStatusesAsync(token).ConfigureAwait(false)) return;
                if (batch.Count == 0) continue;
                _control.Set();
                if (!await SendRecordsAsync(batch, token).ConfigureAwait(false)) return;
            }
        }

        /// <summary>Sends a batch; until JS answers it, reports posted meanwhile go in a concurrent call.</summary>
        private async Task<bool> SendRecordsAsync(IReadOnlyList<RawEvent> batch, CancellationToken token)
        {
            var records = SendAsync(Messages.Records(batch, NewestRecordId()), _sendBackoff, token);
            var reports = SendReportsWhileAsync(records, token);
            var sent = await records.ConfigureAwait(false);
            // The report in flight when the answer came finishes first, so statuses never overtake each other.
            // Both tasks end on a thread-pool thread (after a ThreadPoolHop), never on Node's.
            var reported = await reports.ConfigureAwait(false);
            return sent && reported;
        }

        /// <summary>Sends reports (never ordered statuses) one at a time until `held` completes; false when the session stops.</summary>
        private async Task<bool> SendReportsWhileAsync(Task<bool> held, CancellationToken token)
        {
            var cancelled = NewWake();
            using (token.Register(() => cancelled.TrySetResult(true)))
            {
                while (!held.IsCompleted && !token.IsCancellationRequested)
                {
                    // Read before taking: a report posted after the take completes this one.
                    var posted = Volatile.Read(ref _reportPosted).Task;
                    Dictionary<string, object> status;
                    while (!held.IsCompleted && (status = TakeStatus(reportsOnly: true)) != null)
                    {
                        if (!await SendAsync(status, _reportBackoff, token).ConfigureAwait(false)) return false;
                    }
                    await Task.WhenAny(held, posted, cancelled.Task).ConfigureAwait(false);
                    await ThreadPoolHop.Instance;
                }
            }
            return true;
        }

        /// <summary>Sends the pending status messages in order; false when the session stops.</summary>
        private async Task<bool> SendStatusesAsync(CancellationToken token)
        {
            Dictionary<string, object> status;
            while ((status = TakeStatus(reportsOnly: false)) != null)
            {
                if (!await SendAsync(status, _sendBackoff, token).ConfigureAwait(false)) return false;
            }
            return true;
        }

        /// <summary>Sends until JS answers; false when the session stops (or JS asked it to).</summary>
        private async Task<bool> SendAsync(Dictionary<string, object> message, Backoff backoff, CancellationToken token)
        {
            while (!token.IsCancellationRequested)
            {
                object answer = null;
                var failed = false;
                try
                {
                    answer = await _send(message).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    failed = true;
                }
                // JS answers on Node's thread: leave it before doing anything else.
                await ThreadPoolHop.Instance;
                if (failed)
                {
                    // JS rejected or threw: keep the message and offer it again after a pause.
                    Interlocked.Increment(ref _errors);
                    await _delay(backoff.Next(), token).ConfigureAwait(false);
                    continue;
                }
                backoff.Reset();
                if (!Messages.AnswerSaysStop(answer)) return true;
                _cts.Cancel();
                _control.Set();
                return false;
            }
            return false;
        }

        private void PostStatus(string state, string detail, long resumeAfter, LogInfo log = null) =>
            PostStatus(Messages.Status(state, detail, resumeAfter, log));

        private void PostStatus(Dictionary<string, object> status)
        {
            TaskCompletionSource<bool> wake = null;
            lock (_statusLock)
            {
                if (_status.Count >= MaxPendingStatus) DropOldestLocked();
                _status.AddLast(status);
                if (!KeepsOrder(status)) wake = Interlocked.Exchange(ref _reportPosted, NewWake());
            }
            wake?.TrySetResult(true);
            _queueChanged.Set();
        }

        /// <summary>
        /// Full: the oldest report goes ("skipped" carries a running total, so no count is lost); an ordered status
        /// only when nothing else is pending (a newer "subscribing" supersedes an older one).
        /// </summary>
        private void DropOldestLocked()
        {
            for (var node = _status.First; node != null; node = node.Next)
            {
                if (KeepsOrder(node.Value)) continue;
                _status.Remove(node);
                return;
            }
            _status.RemoveFirst();
        }

        /// <summary>The oldest pending status (reportsOnly: the oldest report); null when none.</summary>
        private Dictionary<string, object> TakeStatus(bool reportsOnly)
        {
            lock (_statusLock)
            {
                for (var node = _status.First; node != null; node = node.Next)
                {
                    if (reportsOnly && KeepsOrder(node.Value)) continue;
                    _status.Remove(node);
                    return node.Value;
                }
                return null;
            }
        }

        /// <summary>
        /// True for statuses that must stay in order with the records: "subscribing" (JS judges loss from it and
        /// forgets the last delivered id: it must precede its subscription's records) and "restarted" (the
        /// numbering). Reports (skipped, paused, error) only inform and may arrive while a batch is held.
        /// </summary>
        internal static bool KeepsOrder(IDictionary<string, object> status)
        {
            var state = status.TryGetValue("state", out var value) ? value as string : null;
            return state != "skipped" && state != "paused" && state != "error";
        }

        private static TaskCompletionSource<bool> NewWake() =>
            new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private long NewestRecordId()
        {
            // At most one log-information query a second: it is only for the lag metric.
            var now = DateTime.UtcNow;
            if (now - _newestReadAt >= TimeSpan.FromSeconds(1))
            {
                _newestReadAt = now;
                var log = ReadLogInfo();
                if (log != null) _newestRecordId = log.NewestRecordId;
            }
            return _newestRecordId;
        }

        private LogInfo ReadLogInfo()
        {
            try
            {
                return _logInfo.Read(_options.Channel);
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>Releases a handler blocked on a full queue, then stops the subscription.</summary>
        private void StopWatcher()
        {
            try
            {
                Volatile.Read(ref _subscription).Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
            SafeStopWatcher();
        }

        private void SafeStopWatcher()
        {
            try
            {
                _watcher.Stop();
            }
            catch (Exception)
            {
                // Stopping a broken subscription may throw; the next Start creates a new one.
            }
        }

        internal static string Describe(Exception error)
        {
            var message = error.GetType().Name + ": " + error.Message;
            if (error is UnauthorizedAccessException)
                message += " Reading the Security log needs LocalSystem or an administrator.";
            return message;
        }

        private static async Task DelayIgnoringCancel(TimeSpan delay, CancellationToken token)
        {
            try
            {
                await Task.Delay(delay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }
    }
}
