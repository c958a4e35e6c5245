using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>Plays Node's one thread: runs queued work in order, like edge-js completing JS answers there.</summary>
    internal sealed class FakeNodeThread : IDisposable
    {
        private readonly BlockingCollection<Action> _work = new BlockingCollection<Action>();
        private readonly Thread _thread;

        public FakeNodeThread()
        {
            _thread = new Thread(() =>
            {
                foreach (var action in _work.GetConsumingEnumerable()) action();
            }) { IsBackground = true, Name = "node" };
            _thread.Start();
        }

        public int ManagedThreadId => _thread.ManagedThreadId;

        public Task<T> Run<T>(Func<T> func)
        {
            // No RunContinuationsAsynchronously: a careless await would continue inline on this thread.
            var tcs = new TaskCompletionSource<T>();
            _work.Add(() => tcs.SetResult(func()));
            return tcs.Task;
        }

        public void Dispose() => _work.CompleteAdding();
    }

    /// <summary>Records the threads the session starts, stops and queries the log on.</summary>
    internal sealed class ThreadRecordingWatcher : IRecordWatcher, ILogInfoReader
    {
        private readonly SyntheticRecordWatcher _inner;
        public readonly ConcurrentBag<int> Threads = new ConcurrentBag<int>();

        public ThreadRecordingWatcher(SyntheticRecordWatcher inner) => _inner = inner;

        public LogInfo Read(string channel)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            return _inner.Read(channel);
        }

        public void Start(string channel, string queryXml, StartPosition start, IRecordTarget target)
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            _inner.Start(channel, queryXml, start, target);
        }

        public void Stop()
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            _inner.Stop();
        }
    }

    public class NodeThreadTests
    {
        [Fact]
        public async Task NeverTouchesTheWatcherOrTheLogOnTheThreadThatAnswers()
        {
            using var node = new FakeNodeThread();
            var producer = new SyntheticRecordWatcher(1, 2000, "<Event>{id}</Event>");
            var watcher = new ThreadRecordingWatcher(producer);
            var received = 0;
            Func<object, Task<object>> send = message => node.Run<object>(() =>
            {
                var dict = (IDictionary<string, object>)message;
                if ((string)dict["type"] == "records") Interlocked.Add(ref received, ((object[])dict["recordIds"]).Length);
                return new Dictionary<string, object> { ["ok"] = true };
            });
            var options = new BridgeOptions
            {
                EventIds = new[] { 5157 },
                Start = StartPosition.Beginning(),
                BatchSize = 50,
                MaxDelay = TimeSpan.FromMilliseconds(10),
                QueueBound = 100,
                ResumeBelow = 20,
                BackoffInitial = TimeSpan.FromMilliseconds(5),
                BackoffMax = TimeSpan.FromMilliseconds(10),
            };
            var session = new BridgeSession(options, watcher, watcher, send);
            // Start and stop are called from "Node's thread" too, as edge-js does.
            await node.Run(() => { session.Start(); return 0; });
            var until = DateTime.UtcNow.AddSeconds(20);
            while (Volatile.Read(ref received) < 2000 && DateTime.UtcNow < until) await Task.Delay(10);
            await await node.Run(() => session.StopAsync());
            Assert.Equal(2000, received);
            // A full queue blocks the handler on the walking thread (never Node's); start, log reads and stop ran.
            Assert.True(watcher.Threads.Count >= 3);
            Assert.DoesNotContain(node.ManagedThreadId, watcher.Threads.ToArray());
        }
    }
}
