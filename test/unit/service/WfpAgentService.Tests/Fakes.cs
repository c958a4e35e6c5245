using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace WfpBlockAgent.Service.Tests
{
    internal sealed class FixedClock : IClock
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();
        public DateTime UtcNow { get; set; } = new DateTime(2026, 12, 1, 20, 0, 0, DateTimeKind.Utc);
        public TimeSpan Elapsed => watch.Elapsed;
    }

    internal sealed class MemoryFileSystem : IFileSystem
    {
        public readonly Dictionary<string, List<byte>> Files = new Dictionary<string, List<byte>>();
        public bool FailAppends { get; set; }
        public bool FailMoves { get; set; }

        public long Length(string path) => Files.TryGetValue(path, out var f) ? f.Count : 0;
        public bool Exists(string path) => Files.ContainsKey(path);

        public void Append(string path, byte[] bytes)
        {
            if (FailAppends) throw new IOException("disk full");
            if (!Files.TryGetValue(path, out var f)) Files[path] = f = new List<byte>();
            f.AddRange(bytes);
        }

        public void Move(string from, string to)
        {
            if (FailMoves) throw new IOException("The process cannot access the file because it is being used by another process.");
            if (Files.ContainsKey(to)) throw new IOException("exists: " + to);
            Files[to] = Files[from];
            Files.Remove(from);
        }

        public void Delete(string path) => Files.Remove(path);
        public void CreateDirectory(string path) { }
        public string Text(string path) => System.Text.Encoding.UTF8.GetString(Files[path].ToArray());
    }

    internal sealed class RecordingEventLog : IEventLogWriter
    {
        public readonly ConcurrentQueue<(EventLevel Level, int Id, string Message)> Entries = new ConcurrentQueue<(EventLevel, int, string)>();
        public void Write(EventLevel level, int eventId, string message) => Entries.Enqueue((level, eventId, message));
    }

    /// <summary>A scripted agent: what it writes on stderr, when it exits, whether closing stdin stops it.</summary>
    internal sealed class FakeProcess : IAgentProcess
    {
        private readonly ManualResetEventSlim exited = new ManualResetEventSlim(false);
        private static int nextId = 1000;
        public int Id { get; } = Interlocked.Increment(ref nextId);
        public int ExitCode { get; private set; }
        /// <summary>Exit code when stdin closes; null: ignores it (a hung agent).</summary>
        public int? ExitOnStdinClose { get; set; } = 0;
        public bool InputClosed { get; private set; }
        public bool Killed { get; private set; }
        public Action<string> Stderr { get; set; }

        public void CloseInput()
        {
            InputClosed = true;
            if (ExitOnStdinClose is int code) Exit(code);
        }

        public void Exit(int code)
        {
            ExitCode = code;
            exited.Set();
        }

        public bool WaitForExit(TimeSpan timeout) => exited.Wait(timeout);

        public void Kill()
        {
            Killed = true;
            Exit(-1);
        }

        public void Dispose() { }
    }

    internal sealed class FakeStarter : IProcessStarter
    {
        public readonly BlockingCollection<FakeProcess> Started = new BlockingCollection<FakeProcess>();
        public readonly List<TimeSpan> StartTimes = new List<TimeSpan>();
        public Func<FakeProcess> Make { get; set; } = () => new FakeProcess();
        private readonly Stopwatch watch = Stopwatch.StartNew();

        public IAgentProcess Start(AgentStart start, Action<string> onStdout, Action<string> onStderr)
        {
            var p = Make();
            p.Stderr = onStderr;
            lock (StartTimes) StartTimes.Add(watch.Elapsed);
            Started.Add(p);
            return p;
        }

        public FakeProcess Next(int timeoutMs = 10000)
        {
            if (!Started.TryTake(out var p, timeoutMs)) throw new TimeoutException("no process started");
            return p;
        }
    }
}
