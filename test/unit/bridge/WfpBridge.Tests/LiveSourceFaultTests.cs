using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>A target whose every call throws, to prove nothing escapes the handler.</summary>
    internal sealed class ThrowingTarget : IRecordTarget
    {
        public int Fails;
        public bool Wants(long recordId) => throw new OperationCanceledException("1223");
        public void Offer(RawEvent record) => throw new InvalidOperationException("offer");
        public void Skip(long recordId, Exception error) => throw new InvalidOperationException("skip");
        public void Fail(Exception error)
        {
            Fails++;
            throw new InvalidOperationException("fail");
        }
    }

    /// <summary>Reports the same channel error for ever while it walks (dotnet/runtime#109908), until stopped.</summary>
    internal sealed class ErrorLoopWatcher : IRecordWatcher
    {
        private volatile bool _stop;
        public long Reported;

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            _stop = false;
            while (!_stop)
            {
                Interlocked.Increment(ref Reported);
                target.Fail(new UnauthorizedAccessException("Attempted to perform an unauthorized operation."));
            }
        }

        public void Stop() => _stop = true;
    }

    public class LiveSourceFaultTests
    {
        private static BridgeOptions Options(StartPosition start, int queue = 200) => SessionTestKit.Options(start, new[] { 5157 }, queue: queue);

        private static Task WaitFor(Func<bool> condition, int seconds = 20) => SessionTestKit.WaitFor(condition, null, seconds);

        private static int Count(FakeJs js) { lock (js.RecordIds) return js.RecordIds.Count; }

        private static List<IDictionary<string, object>> Statuses(FakeJs js, string state) =>
            js.Messages.Where(m => (string)m["type"] == "status" && (string)m["state"] == state).ToList();

        [Fact]
        public void NoExceptionEscapesTheHandler_WhateverTheRecordOrTheTargetThrows()
        {
            var target = new ThrowingTarget();
            RecordHandler.Handle(() => throw new UnauthorizedAccessException("code 5"), () => "<Event/>", target);
            RecordHandler.Handle(() => 7, () => "<Event/>", target);
            RecordHandler.Handle(() => 7, () => throw new OperationCanceledException("1223"), new CollectingTarget());
            Assert.Equal(2, target.Fails);
        }

        [Fact]
        public void AnUnrenderableRecordIsSkippedNotReportedAsAChannelError()
        {
            var target = new CollectingTarget();
            RecordHandler.Handle(() => 42, () => throw new InvalidOperationException("ToXml failed"), target);
            Assert.Equal(new long[] { 42 }, target.Skipped);
            Assert.Empty(target.Errors);
            Assert.Empty(target.Ids);
        }

        [Fact]
        public async Task UnrenderableRecordsAreSkippedCountedAndReadingGoesOnWithoutResubscribing()
        {
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 1, Backlog = 500, RenderFailEvery = 100 });
            var producer = new SyntheticRecordWatcher(log);
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.Beginning()), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 495);
            await Task.Delay(100);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(1, 500).Where(i => i % 100 != 0).Select(i => (long)i), js.RecordIds);
            Assert.Equal(5, session.Skipped);
            Assert.Equal(0, session.Errors);
            Assert.Single(producer.Starts);
            var skipped = Statuses(js, "skipped");
            Assert.Equal(5, skipped.Count);
            Assert.Equal(100d, skipped[0]["resumeAfter"]);
            Assert.Equal(5d, skipped.Last()["skippedTotal"]);
            Assert.Contains("Record 100 cannot be rendered", (string)skipped[0]["detail"]);
        }

        [Fact]
        public async Task AfterAWrapWhileStopped_ResumesAtTheOldestRecord_NotAfterIt()
        {
            // Checkpoint 40; the log wrapped: 61..100 remain. A non-strict bookmark would start after 61.
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 1, Backlog = 100, WrapAt = 100, WrapOldest = 61 });
            var producer = new SyntheticRecordWatcher(log);
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.After(40)), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 40);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(61, 40).Select(i => (long)i), js.RecordIds);
            var subscribing = Statuses(js, "subscribing")[0];
            Assert.Equal(40d, subscribing["resumeAfter"]);
            Assert.Equal(61d, ((IDictionary<string, object>)subscribing["log"])["oldestRecordId"]);
        }

        [Fact]
        public async Task AfterAClearWhileStopped_ReadsTheNewLogFromItsFirstRecord_The1102()
        {
            // Checkpoint 550 of the old numbering; cleared after 599; the new log holds 1 (the 1102) .. 10.
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 500, Backlog = 110, ClearAfter = 599, Templates = { [1102] = "<Cleared>{id}</Cleared>" } });
            var producer = new SyntheticRecordWatcher(log);
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.After(550)), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => Count(js) == 10);
            await Task.Delay(100);
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), js.RecordIds);
            var subscribing = Statuses(js, "subscribing")[0];
            Assert.Equal(550d, subscribing["resumeAfter"]);
            Assert.Equal(10d, ((IDictionary<string, object>)subscribing["log"])["newestRecordId"]);
        }

        [Fact]
        public async Task AClearWhileRunningIsReported_AndTheResumePositionFollowsTheNewNumbering()
        {
            // The log's clock stands still until the session has read the backlog, then runs: the clear happens
            // while the agent runs whatever the machine's load (a fixed head start once lost the race under load).
            var clock = new HeldClock();
            // 1300 records in the old numbering, cleared after 1300, then 1, 2, ... at 2000/s.
            var log = new SyntheticLog(new SyntheticSpec { FirstId = 1, Backlog = 1300, Rate = 2000, StartUnixMs = clock.Start, ClearAfter = 1300, Count = 1700 }, clock.Now);
            var producer = new SyntheticRecordWatcher(log);
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.Beginning()), producer, producer, js.Send);
            session.Start();
            try
            {
                await WaitFor(() => Count(js) == 1300, 10);
                clock.Release();
                await WaitFor(() => Count(js) == 1700, 10);
                await WaitFor(() => Statuses(js, "restarted").Count == 1, 5);
            }
            catch (TimeoutException)
            {
                throw new Exception("received " + Count(js) + ", last " + js.RecordIds.LastOrDefault() + ", states " + string.Join(",", js.States()));
            }
            Assert.Equal(1300d, Statuses(js, "restarted")[0]["resumeAfter"]);
            // The queue's position went back with the ids: a resubscription now would start after 400, not 3000.
            Assert.Equal(400, session.Queue.ResumeAfter());
            await session.StopAsync();
            Assert.Equal(Enumerable.Range(1, 1300).Concat(Enumerable.Range(1, 400)).Select(i => (long)i), js.RecordIds);
        }

        [Fact]
        public async Task AWatcherLoopingOnErrorsKeepsOneErrorAndACount_AndStopStillWorks()
        {
            var watcher = new ErrorLoopWatcher();
            var js = new FakeJs();
            var session = new BridgeSession(Options(StartPosition.Beginning()), watcher, new SyntheticRecordWatcher(1, 1, "<E/>"), js.Send);
            session.Start();
            await WaitFor(() => Interlocked.Read(ref watcher.Reported) > 100_000);
            var stopped = session.StopAsync();
            Assert.True(await Task.WhenAny(stopped, Task.Delay(5000)) == stopped, "stop returned while the watcher looped");
            Assert.True(session.ErrorReports > 100_000);
            GC.Collect();
            Assert.True(GC.GetTotalMemory(true) < 200_000_000);
        }

        [Fact]
        public async Task StopReturnsPromptlyWhileTheWalkIsBlockedOnAFullQueue()
        {
            var producer = new SyntheticRecordWatcher(1, 100_000, "<Event>{id}</Event>");
            var js = new FakeJs { AnswerDelay = TimeSpan.FromMilliseconds(300) };
            var session = new BridgeSession(Options(StartPosition.Beginning()), producer, producer, js.Send);
            session.Start();
            await WaitFor(() => session.Queue.Count == 200);
            var visits = producer.Visits;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await session.StopAsync();
            Assert.True(clock.ElapsedMilliseconds < 1500, "stop took " + clock.ElapsedMilliseconds + " ms");
            Assert.True(producer.Visits < visits + 10, "the walk ended instead of visiting the rest of the backlog");
        }
    }
}
