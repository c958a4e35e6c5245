using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>Plays JS: records every message, answers after an optional delay, can fail or hang.</summary>
    internal sealed class FakeJs
    {
        public readonly ConcurrentQueue<IDictionary<string, object>> Messages = new ConcurrentQueue<IDictionary<string, object>>();
        public readonly List<long> RecordIds = new List<long>();
        public TimeSpan AnswerDelay = TimeSpan.Zero;
        public int FailNext;
        public bool Hang;
        public int Concurrent;
        public int MaxConcurrent;

        public async Task<object> Send(object message)
        {
            var now = Interlocked.Increment(ref Concurrent);
            MaxConcurrent = Math.Max(MaxConcurrent, now);
            try
            {
                var dict = (IDictionary<string, object>)message;
                if (FailNext > 0)
                {
                    FailNext--;
                    throw new InvalidOperationException("JS threw");
                }
                Messages.Enqueue(dict);
                if ((string)dict["type"] == "records")
                {
                    lock (RecordIds) RecordIds.AddRange(((object[])dict["recordIds"]).Select(v => (long)(double)v));
                }
                if (Hang) await Task.Delay(Timeout.Infinite);
                if (AnswerDelay > TimeSpan.Zero) await Task.Delay(AnswerDelay);
                return new Dictionary<string, object> { ["ok"] = true };
            }
            finally
            {
                Interlocked.Decrement(ref Concurrent);
            }
        }

        public List<string> States() =>
            Messages.Where(m => (string)m["type"] == "status").Select(m => (string)m["state"]).ToList();
    }

    /// <summary>Delivers a few records, then reports a channel error on its first subscription.</summary>
    internal sealed class FailingOnceWatcher : IRecordWatcher
    {
        private readonly SyntheticRecordWatcher _inner;
        private readonly int _failAfter;
        private int _subscriptions;

        public FailingOnceWatcher(SyntheticRecordWatcher inner, int failAfter)
        {
            _inner = inner;
            _failAfter = failAfter;
        }

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            if (Interlocked.Increment(ref _subscriptions) > 1)
            {
                _inner.Start(channel, queryXml, start, target);
                return;
            }
            var limited = new LimitedTarget(target, _failAfter);
            _inner.Start(channel, queryXml, start, limited);
        }

        public void Stop() => _inner.Stop();

        private sealed class LimitedTarget : IRecordTarget
        {
            private readonly IRecordTarget _target;
            private int _left;

            public LimitedTarget(IRecordTarget target, int left)
            {
                _target = target;
                _left = left;
            }

            public bool Wants(long recordId) => _left > 0 && _target.Wants(recordId);

            public void Offer(RawEvent record)
            {
                _target.Offer(record);
                if (--_left == 0) _target.Fail(new InvalidOperationException("The RPC server is unavailable."));
            }

            public void Skip(long recordId, Exception error) => _target.Skip(recordId, error);

            public void Fail(Exception error) => _target.Fail(error);
        }
    }

    public class BridgeSessionTests
    {
        private static BridgeOptions Options(long after, int batch = 50, int queue = 200, int resumeBelow = 50) =>
            SessionTestKit.Options(after < 0 ? StartPosition.Beginning() : StartPosition.After(after), new[] { 5157, 5152 }, batch, queue, resumeBelow);

        private static Task WaitFor(Func<bool> condition, int seconds = 20) => SessionTestKit.WaitFor(condition, null, seconds);

        private static int Count(FakeJs js) { lock (js.RecordIds) return js.RecordIds.Count; }

        [Fact]
        public async Task DeliversEveryRecordOnceInOrderOneMessageAtATime()
        {
            var producer = new SyntheticRecordWatcher(1001, 1000, "<Event><EventRecordID>{id}</EventRecordID></Event>");
            var js = new FakeJs();
            var session = new BridgeSession(Options(1000, queue: 2000), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 1000);
            Assert.True(await session.StopAsync());
            Assert.Equal(Enumerable.Range(1001, 1000).Select(i => (long)i), js.RecordIds);
            Assert.Equal(1, js.MaxConcurrent);
            var first = js.Messages.First(m => (string)m["type"] == "records");
            Assert.Equal("<Event><EventRecordID>1001</EventRecordID></Event>", ((object[])first["xml"])[0]);
            Assert.Equal(2000d, first["newestRecordId"]);
            Assert.Equal("subscribing", js.States()[0]);
            Assert.Equal(1000d, js.Messages.First()["resumeAfter"]);
        }

        [Fact]
        public async Task ASlowConsumerBlocksTheWalkInsteadOfRestartingIt_EachRecordIsVisitedOnce()
        {
            var producer = new SyntheticRecordWatcher(1, 3000, "<Event>{id}</Event>");
            var js = new FakeJs { AnswerDelay = TimeSpan.FromMilliseconds(2) };
            var session = new BridgeSession(Options(-1, batch: 50, queue: 200, resumeBelow: 50), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 3000, 60);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(1, 3000).Select(i => (long)i), js.RecordIds);
            // Rejecting and resubscribing walked the remaining backlog again after every pause (quadratic).
            Assert.Equal(3000, producer.Visits);
            Assert.Equal(0, session.Pauses);
            Assert.Equal(new[] { "the beginning of the log" }, producer.Starts);
        }

        [Fact]
        public async Task AChannelErrorBacksOffAndResubscribesAfterTheLastKeptRecord()
        {
            var producer = new SyntheticRecordWatcher(501, 300, "<Event>{id}</Event>");
            var watcher = new FailingOnceWatcher(producer, 120);
            var js = new FakeJs();
            var session = new BridgeSession(Options(500, queue: 1000), watcher, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 300);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(501, 300).Select(i => (long)i), js.RecordIds);
            Assert.Equal(1, session.Errors);
            // Record 500 is not in the log (it starts at 501): a strict start begins at the oldest, not after the closest.
            Assert.Equal(new[] { "the beginning of the log", "after record 620" }, producer.Starts);
            var error = js.Messages.First(m => (string)m["type"] == "status" && (string)m["state"] == "error");
            Assert.Contains("RPC server is unavailable", (string)error["detail"]);
        }

        [Fact]
        public async Task ARefusedSubscriptionIsRetriedWithAnOperatorHint()
        {
            var producer = new SyntheticRecordWatcher(1, 10, "<Event>{id}</Event>") { FailNextStart = new UnauthorizedAccessException("Attempted to perform an unauthorized operation.") };
            var js = new FakeJs();
            var session = new BridgeSession(Options(-1), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 10);
            await session.StopAsync();
            Assert.Equal(new[] { "subscribing", "error", "subscribing" }, js.States().Take(3));
            var error = js.Messages.First(m => (string)m["type"] == "status" && (string)m["state"] == "error");
            Assert.Contains("LocalSystem or an administrator", (string)error["detail"]);
        }

        [Fact]
        public async Task ABatchJsFailedToTakeIsOfferedAgain()
        {
            var producer = new SyntheticRecordWatcher(1, 100, "<Event>{id}</Event>");
            var js = new FakeJs { FailNext = 3 };
            var session = new BridgeSession(Options(-1), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 100);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), js.RecordIds);
            Assert.True(session.Errors >= 3);
        }

        [Fact]
        public async Task StopReturnsWithinItsTimeoutEvenWhileJsNeverAnswers()
        {
            var producer = new SyntheticRecordWatcher(1, 100, "<Event>{id}</Event>");
            var js = new FakeJs { Hang = true };
            var options = Options(-1);
            options.StopTimeout = TimeSpan.FromMilliseconds(300);
            var session = new BridgeSession(options, producer, producer, js.Send);
            session.Start();
            await WaitFor(() => js.Messages.Any(m => (string)m["type"] == "records") || js.Messages.Count > 0);
            var started = DateTime.UtcNow;
            var clean = await session.StopAsync();
            Assert.False(clean);
            Assert.InRange((DateTime.UtcNow - started).TotalMilliseconds, 0, 3000);
            Assert.True(await session.StopAsync() == false || true, "a second stop is harmless");
        }

        [Fact]
        public async Task AnAnswerWithStopEndsTheSession()
        {
            var producer = new SyntheticRecordWatcher(1, 1000, "<Event>{id}</Event>");
            var sent = 0;
            Func<object, Task<object>> send = message =>
            {
                Interlocked.Increment(ref sent);
                return Task.FromResult<object>(new Dictionary<string, object> { ["stop"] = true });
            };
            var session = new BridgeSession(Options(-1), producer, producer, send);
            session.Start();
            await WaitFor(() => Volatile.Read(ref sent) >= 1);
            await Task.Delay(200);
            Assert.Equal(1, Volatile.Read(ref sent));
            Assert.True(await session.StopAsync());
        }
    }

    public class BridgeOptionsTests
    {
        [Fact]
        public void ReadsThePlainDictionaryEdgeJsHandsOver()
        {
            var input = new Dictionary<string, object>
            {
                ["eventIds"] = new object[] { 5157, 5152d },
                ["start"] = new Dictionary<string, object> { ["mode"] = "after", ["recordId"] = 9007199254740991d },
                ["batchSize"] = 100d,
                ["queueBound"] = 1000,
            };
            var options = BridgeOptions.From(input);
            Assert.Equal(new[] { 5157, 5152 }, options.EventIds);
            Assert.Equal(9007199254740991L, options.Start.RecordId);
            Assert.Equal(100, options.BatchSize);
            Assert.Equal(250, options.ResumeBelow);
            Assert.Equal("Security", options.Channel);
        }

        [Theory]
        [InlineData("eventIds")]
        [InlineData("start.mode")]
        [InlineData("batchSize")]
        public void NamesTheKeyThatIsWrong(string key)
        {
            var input = new Dictionary<string, object>
            {
                ["eventIds"] = key == "eventIds" ? (object)"5157" : new object[] { 5157 },
                ["start"] = new Dictionary<string, object> { ["mode"] = key == "start.mode" ? "middle" : "beginning" },
                ["batchSize"] = key == "batchSize" ? (object)0 : 10,
            };
            var error = Assert.Throws<ArgumentException>(() => BridgeOptions.From(input));
            Assert.StartsWith(key + ":", error.Message);
        }

        [Fact]
        public void ReadsASinceTimeAsUtc()
        {
            var input = new Dictionary<string, object>
            {
                ["eventIds"] = new object[] { 5157 },
                ["start"] = new Dictionary<string, object> { ["mode"] = "since", ["time"] = "2026-11-27T11:00:00+01:00" },
            };
            var start = BridgeOptions.From(input).Start;
            Assert.Equal(StartMode.Since, start.Mode);
            Assert.Equal(new DateTime(2026, 11, 27, 10, 0, 0, DateTimeKind.Utc), start.SinceUtc);
        }
    }
}
