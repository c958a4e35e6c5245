using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace WfpBlockAgent.Service
{
    public sealed class SupervisorOptions
    {
        public AgentStart Start { get; set; }
        /// <summary>How long a stop waits after closing stdin before it kills: the agent's stop_timeout_ms plus a margin.</summary>
        public TimeSpan StopWait { get; set; }
        /// <summary>How often the SCM is asked for more time while the agent flushes (each ask covers twice this).</summary>
        public TimeSpan StopPulse { get; set; } = TimeSpan.FromSeconds(2);
        public RestartPolicy Restart { get; set; } = RestartPolicy.Default();
        /// <summary>Stderr lines kept for the event-log report of an exit.</summary>
        public int StderrTail { get; set; } = 20;
    }

    /// <summary>One run of the agent, as reported to the event log.</summary>
    public sealed class AgentExit
    {
        public int ExitCode { get; set; }
        public TimeSpan Ran { get; set; }
        /// <summary>True when the host asked it to stop (stdin closed), false when it exited on its own.</summary>
        public bool Requested { get; set; }
        /// <summary>True when it did not stop within StopWait and was killed.</summary>
        public bool Killed { get; set; }
        public IReadOnlyList<string> LastStderr { get; set; }
        /// <summary>The wait before the next start; null when none follows.</summary>
        public TimeSpan? RestartIn { get; set; }
    }

    /// <summary>
    /// Keeps one agent process running: starts it, copies its output to the rotating log, restarts it with backoff
    /// when it exits on its own, and stops it gracefully (close stdin, wait StopWait while asking the SCM for time,
    /// then kill). Every exit is reported to the event log with its code and last stderr lines.
    /// Event ids: 1 started, 2 stopped as asked, 3 exited on its own, 4 killed after the stop wait, 5 cannot start.
    /// </summary>
    public sealed class AgentSupervisor
    {
        // The agent's exit codes (`wfp-agent run --help`). 0: it stopped cleanly when asked; records it dropped on
        // the way are counted in its metrics and told on stderr, so they are no failure of the service.
        public const int ExitClean = 0;
        /// <summary>It could not start, its stop overran source.stop_timeout_ms, or reading ended on an unexpected error.</summary>
        public const int ExitProblems = 1;
        /// <summary>Usage or configuration error: it fails the same way at every start until agent.yaml is fixed.</summary>
        public const int ExitUsage = 2;

        public const int EventStarted = 1;
        public const int EventStopped = 2;
        public const int EventExited = 3;
        public const int EventKilled = 4;
        public const int EventCannotStart = 5;

        private readonly SupervisorOptions options;
        private readonly IProcessStarter starter;
        private readonly IClock clock;
        private readonly IEventLogWriter events;
        private readonly RotatingLogFile log;
        private readonly object gate = new object();
        private readonly ManualResetEvent stopRequested = new ManualResetEvent(false);
        private readonly List<AgentExit> exits = new List<AgentExit>();
        private Thread loop;
        private IAgentProcess current;
        private bool stopping;
        private bool killedByStop;
        private int starts;

        public AgentSupervisor(SupervisorOptions options, IProcessStarter starter, IClock clock, IEventLogWriter events, RotatingLogFile log)
        {
            this.options = options;
            this.starter = starter;
            this.clock = clock;
            this.events = events;
            this.log = log;
        }

        /// <summary>Every exit so far (for tests and the console verb).</summary>
        public IReadOnlyList<AgentExit> Exits
        {
            get { lock (gate) return exits.ToArray(); }
        }

        public int Starts
        {
            get { lock (gate) return starts; }
        }

        /// <summary>The running agent's process id, or null between runs.</summary>
        public int? CurrentProcessId
        {
            get { lock (gate) return current?.Id; }
        }

        /// <summary>Starts the supervision loop on its own thread and returns at once (OnStart must be quick).</summary>
        public void Start()
        {
            loop = new Thread(Run) { IsBackground = true, Name = "agent supervisor" };
            loop.Start();
        }

        /// <summary>
        /// Stops the agent and the loop; returns when both are gone. `askForTime` is called before each wait slice
        /// with the time the host may still need (ServiceBase.RequestAdditionalTime).
        /// </summary>
        public void Stop(Action<TimeSpan> askForTime)
        {
            IAgentProcess process;
            lock (gate)
            {
                stopping = true;
                process = current;
            }
            stopRequested.Set();
            if (process != null)
            {
                try
                {
                    process.CloseInput();
                }
                catch (Exception)
                {
                    // Already gone: the wait below returns at once.
                }
                var started = clock.Elapsed;
                var exited = false;
                while (!exited)
                {
                    var left = options.StopWait - (clock.Elapsed - started);
                    if (left <= TimeSpan.Zero) break;
                    var slice = left < options.StopPulse ? left : options.StopPulse;
                    askForTime?.Invoke(slice + slice);
                    exited = process.WaitForExit(slice);
                }
                if (!exited)
                {
                    lock (gate) killedByStop = true;
                    askForTime?.Invoke(TimeSpan.FromSeconds(10));
                    try
                    {
                        process.Kill();
                    }
                    catch (Exception)
                    {
                        // It exited between the wait and the kill.
                    }
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
            loop?.Join(TimeSpan.FromSeconds(15));
        }

        private void Run()
        {
            while (true)
            {
                IAgentProcess process;
                var tail = new Queue<string>();
                var began = clock.Elapsed;
                lock (gate)
                {
                    if (stopping) return;
                }
                try
                {
                    process = starter.Start(
                        options.Start,
                        line => log.WriteLine("stdout", line),
                        line =>
                        {
                            log.WriteLine("stderr", line);
                            lock (tail)
                            {
                                tail.Enqueue(line);
                                while (tail.Count > options.StderrTail) tail.Dequeue();
                            }
                        });
                }
                catch (Exception e)
                {
                    var delay = options.Restart.NextDelay(TimeSpan.Zero);
                    var line = $"Cannot start the agent ({options.Start.FileName}): {e.Message}. Next try in {Seconds(delay)}.";
                    log.WriteLine("host", line);
                    events.Write(EventLevel.Error, EventCannotStart, line);
                    if (stopRequested.WaitOne(delay)) return;
                    continue;
                }
                bool stopNow;
                lock (gate)
                {
                    starts++;
                    current = process;
                    stopNow = stopping;
                }
                // A stop that came while it was starting: Stop() saw no process, so close its stdin here.
                if (stopNow) SafeCloseInput(process);
                var started = $"The agent started (process {process.Id}): {options.Start.FileName} {options.Start.Arguments}";
                log.WriteLine("host", started);
                events.Write(EventLevel.Information, EventStarted, started);
                process.WaitForExit(Timeout.InfiniteTimeSpan);
                var exit = new AgentExit { ExitCode = SafeExitCode(process), Ran = clock.Elapsed - began };
                lock (tail) exit.LastStderr = tail.ToArray();
                lock (gate)
                {
                    current = null;
                    exit.Requested = stopping;
                    exit.Killed = killedByStop;
                    if (!stopping) exit.RestartIn = options.Restart.NextDelay(exit.Ran);
                    exits.Add(exit);
                }
                process.Dispose();
                Report(exit);
                if (exit.RestartIn == null) return;
                if (stopRequested.WaitOne(exit.RestartIn.Value)) return;
            }
        }

        private void Report(AgentExit exit)
        {
            var message = Describe(exit, options.StopWait);
            log.WriteLine("host", message.Split('\n')[0].TrimEnd('\r'));
            // Asked to stop: 0 is a clean stop (Information), anything else a stop that did not finish cleanly
            // (Warning). Exiting on its own is always an error: the agent only ends when asked.
            var level = exit.Killed ? EventLevel.Warning : exit.Requested ? (exit.ExitCode == ExitClean ? EventLevel.Information : EventLevel.Warning) : EventLevel.Error;
            var id = exit.Killed ? EventKilled : exit.Requested ? EventStopped : EventExited;
            events.Write(level, id, message);
        }

        /// <summary>The event-log text for one exit: what happened, the code, the next step, the last stderr lines.</summary>
        public static string Describe(AgentExit exit, TimeSpan stopWait)
        {
            string head;
            if (exit.Killed) head = $"The agent did not stop within {Seconds(stopWait)} after its standard input was closed; it was killed (exit code {exit.ExitCode}). Records after its last checkpoint are read again at the next start.";
            else if (exit.Requested) head = $"The agent stopped as asked, exit code {exit.ExitCode}, after running {Seconds(exit.Ran)}.";
            else head = $"The agent exited on its own with code {exit.ExitCode} after running {Seconds(exit.Ran)}; it is started again in {Seconds(exit.RestartIn ?? TimeSpan.Zero)}.";
            if (!exit.Killed && exit.ExitCode != ExitClean) head += " " + MeaningOf(exit.ExitCode);
            if (exit.LastStderr == null || exit.LastStderr.Count == 0) return head + "\r\nNo output on stderr.";
            return head + "\r\nLast lines on stderr:\r\n" + string.Join("\r\n", exit.LastStderr);
        }

        /// <summary>What a nonzero exit code of the agent means, for the event-log text.</summary>
        public static string MeaningOf(int exitCode)
        {
            switch (exitCode)
            {
                case ExitProblems:
                    return "Exit code 1: the agent could not start, its stop did not finish within source.stop_timeout_ms, or reading ended on an unexpected error (see the lines below); records after its last checkpoint are read again at the next start.";
                case ExitUsage:
                    return "Exit code 2: a usage or configuration error; check agent.yaml with `wfp-agent config validate` (it fails the same way until the configuration is fixed).";
                default:
                    return "The agent does not use this exit code: node.exe ended abnormally (crash or killed).";
            }
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

        private static void SafeCloseInput(IAgentProcess process)
        {
            try
            {
                process.CloseInput();
            }
            catch (Exception)
            {
                // Exited already.
            }
        }

        private static int SafeExitCode(IAgentProcess process)
        {
            try
            {
                return process.ExitCode;
            }
            catch (Exception)
            {
                return -1;
            }
        }
    }
}
