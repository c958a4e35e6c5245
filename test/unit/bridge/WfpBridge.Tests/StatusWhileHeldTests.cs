using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>
    /// Plays JS during an export outage: records answers are held until Release() (the pump reads nothing), status
    /// messages are answered at once. Notes for every message whether a records answer was held when it arrived.
    /// </summary>
    internal sealed class HoldingJs
    {
        private readonly object _lock = new object();
        private readonly TaskCompletionSource<bool> _released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(IDictionary<string, object> Message, bool WhileHeld)> _arrivals = new List<(IDictionary<string, object>, bool)>();
        private int _held;

        public async Task<object> Send(object message)
        {
            var dict = (IDictionary<string, object>)message;
            var records = (string)dict["type"] == "records";
            lock (_lock)
            {
                _arrivals.Add((dict, _held > 0));
                if (records) _held++;
            }
            if (records)
            {
                await _released.Task;
                lock (_lock) _held--;
            }
            return new Dictionary<string, object> { ["ok"] = true };
        }

        public void Release() => _released.TrySetResult(true);

        public List<(IDictionary<string, object> Message, bool WhileHeld)> Arrivals()
        {
            lock (_lock) return _arrivals.ToList();
        }

        public List<IDictionary<string, object>> Statuses(string state) =>
            Arrivals().Where(a => IsStatus(a.Message, state)).Select(a => a.Message).ToList();

        public List<long> RecordIds() =>
            Arrivals().Where(a => (string)a.Message["type"] == "records")
                .SelectMany(a => ((object[])a.Message["recordIds"]).Select(v => (long)(double)v)).ToList();

        public static bool IsStatus(IDictionary<string, object> m, string state) =>
            (string)m["type"] == "status" && (string)m["state"] == state;
    }

    /// <summary>A synthetic watcher whose current subscription the test can make fail (a channel error).</summary>
    internal sealed class FailOnDemandWatcher : IRecordWatcher
    {
        private readonly SyntheticRecordWatcher _inner;
        private volatile IRecordTarget _target;

        public FailOnDemandWatcher(SyntheticRecordWatcher inner) => _inner = inner;

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            _target = target;
            _inner.Start(channel, queryXml, start, target);
        }

        public void Stop() => _inner.Stop();

        public void FailNow() => _target.Fail(new InvalidOperationException("The RPC server is unavailable."));
    }

    public class StatusWhileHeldTests
    {
        private static BridgeOptions Options(StartPosition start, int queue) => SessionTestKit.Options(start, new[] { 5157 }, queue: queue);

        private static Task WaitFor(Func<bool> condition, Func<string> describe) => SessionTestKit.WaitFor(condition, describe);

        private static string Describe(HoldingJs js) =>
            string.Join(", ", js.Arrivals().Select(a => (string)a.Message["type"] == "records"
                ? "records(" + ((object[])a.Message["recordIds"]).Length + ")"
                : (string)a.Message["state"] + (a.WhileHeld ? "*" : "")));

        [Fact]
        public async Task ARenderFailureIsReportedWhileABatchIsHeld_NotAfterTheOutage()
        {
            // Every 10th record cannot be rendered. 50 records are in the log; the log's clock stands still until the
            // first batch (1..50) reached JS and is held (the exporter is down), then 300 more are written at 1000/s.
            // (A fixed head start lost the race on a loaded machine: the sender sent the batch after the whole tail.)
            var clock = new HeldClock();
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 1, Backlog = 50, Count = 350, Rate = 1000, StartUnixMs = clock.Start, RenderFailEvery = 10 }, clock.Now);
            var producer = new SyntheticRecordWatcher(log);
            var js = new HoldingJs();
            var session = new BridgeSession(Options(StartPosition.Beginning(), queue: 1000), producer, producer, js.Send);
            session.Start();
            try
            {
                await WaitFor(() => js.RecordIds().Count > 0, () => Describe(js));
                clock.Release();
                await WaitFor(() => js.Statuses("skipped").Count == 35, () => Describe(js));
                var arrivals = js.Arrivals();
                Assert.Single(arrivals, a => (string)a.Message["type"] == "records");
                // Every failure reported once, in order, with the running total.
                var skipped = arrivals.Where(a => HoldingJs.IsStatus(a.Message, "skipped")).ToList();
                Assert.Equal(Enumerable.Range(1, 35).Select(i => i * 10d), skipped.Select(a => (double)a.Message["resumeAfter"]));
                Assert.Equal(Enumerable.Range(1, 35).Select(i => (double)i), skipped.Select(a => (double)a.Message["skippedTotal"]));
                // Records 60, 70, ... 350 were written after the batch was sent: reported while it was held.
                var batchAt = arrivals.FindIndex(a => (string)a.Message["type"] == "records");
                var tail = skipped.Where(a => (double)a.Message["resumeAfter"] > 50).ToList();
                Assert.Equal(30, tail.Count);
                Assert.True(tail.All(a => a.WhileHeld && arrivals.IndexOf(a) > batchAt), Describe(js));
                js.Release();
                await WaitFor(() => js.RecordIds().Count == 315, () => Describe(js));
            }
            finally
            {
                js.Release();
                await session.StopAsync();
            }
            Assert.Equal(Enumerable.Range(1, 350).Where(i => i % 10 != 0).Select(i => (long)i), js.RecordIds());
            Assert.Equal("subscribing", (string)js.Arrivals()[0].Message["state"]);
        }

        [Fact]
        public async Task AChannelErrorIsReportedWhileABatchIsHeld_TheResubscriptionStillPrecedesItsRecords()
        {
            // 300 records in the log, read into the queue while the first batch's answer is held; 100 more are written
            // (at 1000/s) once the log's clock is released, after the channel error and the resubscription.
            var clock = new HeldClock();
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 1, Backlog = 300, Count = 400, Rate = 1000, StartUnixMs = clock.Start, DefaultTemplate = "<Event>{id}</Event>" }, clock.Now);
            var producer = new SyntheticRecordWatcher(log);
            var watcher = new FailOnDemandWatcher(producer);
            var js = new HoldingJs();
            var session = new BridgeSession(Options(StartPosition.Beginning(), queue: 1000), watcher, producer, js.Send);
            session.Start();
            try
            {
                await WaitFor(() => js.RecordIds().Count > 0 && js.RecordIds().Count + session.Queue.Count == 300, () => Describe(js));
                watcher.FailNow();
                await WaitFor(() => js.Statuses("error").Count == 1 && producer.Starts.Count == 2, () => Describe(js));
                // Give the sender every chance to send what it should not: the resubscription must wait for the batch.
                await Task.Delay(300);
                var held = js.Arrivals();
                Assert.True(held.Single(a => HoldingJs.IsStatus(a.Message, "error")).WhileHeld, Describe(js));
                Assert.Contains("RPC server is unavailable", (string)js.Statuses("error")[0]["detail"]);
                Assert.Single(held, a => HoldingJs.IsStatus(a.Message, "subscribing"));
                Assert.Single(held, a => (string)a.Message["type"] == "records");
                clock.Release();
                js.Release();
                await WaitFor(() => js.RecordIds().Count == 400, () => Describe(js));
            }
            finally
            {
                js.Release();
                await session.StopAsync();
            }
            Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), js.RecordIds());
            // The resubscription resumes after the last kept record (300); its status comes before record 301.
            var messages = js.Arrivals().Select(a => a.Message).ToList();
            var resubscribing = messages.FindLastIndex(m => HoldingJs.IsStatus(m, "subscribing"));
            Assert.Equal(300d, (double)messages[resubscribing]["resumeAfter"]);
            var firstOfIt = messages.FindIndex(m => (string)m["type"] == "records" && ((object[])m["recordIds"]).Contains(301d));
            Assert.True(resubscribing < firstOfIt, Describe(js));
        }

        [Fact]
        public async Task WithNothingHeld_StatusesKeepTheirOrder()
        {
            var producer = new SyntheticRecordWatcher(1, 10, "<Event>{id}</Event>") { FailNextStart = new UnauthorizedAccessException("denied") };
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.Beginning(), queue: 100), producer, producer, js.Send);
            session.Start();
            var until = DateTime.UtcNow.AddSeconds(20);
            while (js.RecordIds.Count < 10 && DateTime.UtcNow < until) await Task.Delay(10);
            await session.StopAsync();
            Assert.Equal(new[] { "subscribing", "error", "subscribing" }, js.States());
            Assert.Equal(1, js.MaxConcurrent);
        }

        [Fact]
        public void OnlyReportsMayOvertakeRecords()
        {
            foreach (var state in new[] { "skipped", "paused", "error" })
                Assert.False(BridgeSession.KeepsOrder(Messages.Status(state, "", -1, null)), state);
            foreach (var state in new[] { "subscribing", "restarted", "something new" })
                Assert.True(BridgeSession.KeepsOrder(Messages.Status(state, "", -1, null)), state);
        }
    }
}
