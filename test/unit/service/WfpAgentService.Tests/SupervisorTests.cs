using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    public class SupervisorTests
    {
        private static (AgentSupervisor Supervisor, FakeStarter Starter, RecordingEventLog Events, MemoryFileSystem Fs) Create(TimeSpan stopWait, RestartPolicy restart = null)
        {
            var starter = new FakeStarter();
            var events = new RecordingEventLog();
            var fs = new MemoryFileSystem();
            var clock = new FixedClock();
            var options = new SupervisorOptions
            {
                Start = new AgentStart { FileName = "node.exe", Arguments = "agent.mjs run --stop-on-stdin-eof" },
                StopWait = stopWait,
                StopPulse = TimeSpan.FromMilliseconds(100),
                Restart = restart ?? new RestartPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30)),
                StderrTail = 3,
            };
            var log = new RotatingLogFile(fs, clock, "agent-stderr.log", 1 << 20, 2);
            return (new AgentSupervisor(options, starter, clock, events, log), starter, events, fs);
        }

        [Fact]
        public void StopClosesStdinAndWaitsForTheAgentWithoutKilling()
        {
            var (supervisor, starter, events, fs) = Create(TimeSpan.FromSeconds(10));
            supervisor.Start();
            var agent = starter.Next();
            agent.ExitOnStdinClose = null;
            var asked = new List<TimeSpan>();
            // The agent takes 350 ms to flush after its stdin closes.
            var stopper = new Thread(() => supervisor.Stop(t => { lock (asked) asked.Add(t); }));
            stopper.Start();
            SpinWait.SpinUntil(() => agent.InputClosed, 5000);
            Assert.True(agent.InputClosed);
            Thread.Sleep(350);
            agent.Exit(0);
            Assert.True(stopper.Join(5000));
            Assert.False(agent.Killed);
            // Asked before every wait slice (100 ms here; each ask covers two); how many depends on the machine's load.
            Assert.InRange(asked.Count, 1, 10);
            Assert.All(asked, t => Assert.Equal(TimeSpan.FromMilliseconds(200), t));
            var exit = Assert.Single(supervisor.Exits);
            Assert.True(exit.Requested);
            Assert.False(exit.Killed);
            Assert.Null(exit.RestartIn);
            Assert.Equal(1, supervisor.Starts);
            var stopped = events.Entries.Last();
            Assert.Equal((EventLevel.Information, AgentSupervisor.EventStopped), (stopped.Level, stopped.Id));
            Assert.StartsWith("The agent stopped as asked, exit code 0", stopped.Message);
            Assert.Contains("[host] The agent stopped as asked", fs.Text("agent-stderr.log"));
        }

        [Fact]
        public void StopKillsAnAgentThatDoesNotExitWithinTheWait()
        {
            var (supervisor, starter, events, _) = Create(TimeSpan.FromMilliseconds(600));
            supervisor.Start();
            var agent = starter.Next();
            agent.ExitOnStdinClose = null;
            agent.Stderr("wfp-agent run: Stopping (standard input closed (--stop-on-stdin-eof)): flushing the batch in hand and writing the checkpoint.");
            var asked = new List<TimeSpan>();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            supervisor.Stop(t => asked.Add(t));
            Assert.InRange(watch.ElapsedMilliseconds, 590, 5000);
            Assert.True(agent.InputClosed, "stdin first");
            Assert.True(agent.Killed, "then the kill");
            Assert.True(asked.Count >= 2, $"asked the SCM for time {asked.Count} times");
            Assert.Equal(TimeSpan.FromSeconds(10), asked.Last());
            var exit = Assert.Single(supervisor.Exits);
            Assert.True(exit.Killed);
            var killed = events.Entries.Last();
            Assert.Equal((EventLevel.Warning, AgentSupervisor.EventKilled), (killed.Level, killed.Id));
            Assert.Contains("did not stop within 0.6 s after its standard input was closed; it was killed", killed.Message);
            Assert.Contains("flushing the batch in hand", killed.Message);
            Assert.Equal(1, supervisor.Starts);
        }

        [Fact]
        public void RestartsACrashedAgentWithBackoffAndReportsEachExit()
        {
            var (supervisor, starter, events, _) = Create(TimeSpan.FromSeconds(5));
            supervisor.Start();
            for (var i = 0; i < 3; i++)
            {
                var agent = starter.Next();
                agent.Stderr("line a" + i);
                agent.Stderr("line b" + i);
                agent.Stderr("line c" + i);
                agent.Stderr("wfp-agent: unexpected error: boom " + i);
                agent.Exit(3 + i);
            }
            var last = starter.Next();
            supervisor.Stop(null);
            Assert.True(last.InputClosed);
            Assert.Equal(4, supervisor.Starts);
            var exits = supervisor.Exits;
            Assert.Equal(new int[] { 3, 4, 5, 0 }, exits.Select(e => e.ExitCode).ToArray());
            Assert.Equal(new double?[] { 100, 200, 400, null }, exits.Select(e => e.RestartIn?.TotalMilliseconds).ToArray());
            // The gaps between starts follow the delays.
            var times = starter.StartTimes;
            Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(95), $"{times[1] - times[0]}");
            Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(195), $"{times[2] - times[1]}");
            Assert.True(times[3] - times[2] >= TimeSpan.FromMilliseconds(395), $"{times[3] - times[2]}");
            var crashes = events.Entries.Where(e => e.Id == AgentSupervisor.EventExited).ToArray();
            Assert.Equal(3, crashes.Length);
            Assert.All(crashes, c => Assert.Equal(EventLevel.Error, c.Level));
            Assert.StartsWith("The agent exited on its own with code 4 after running", crashes[1].Message);
            Assert.Contains("it is started again in 0.2 s", crashes[1].Message);
            Assert.EndsWith("Last lines on stderr:\r\nline b1\r\nline c1\r\nwfp-agent: unexpected error: boom 1", crashes[1].Message);
            Assert.Equal(4, events.Entries.Count(e => e.Id == AgentSupervisor.EventStarted));
        }

        [Fact]
        public void AStopDuringTheBackoffWaitStartsNothingMore()
        {
            var (supervisor, starter, _, _) = Create(TimeSpan.FromSeconds(5), new RestartPolicy(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5)));
            supervisor.Start();
            starter.Next().Exit(1);
            SpinWait.SpinUntil(() => supervisor.Exits.Count == 1, 5000);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            supervisor.Stop(null);
            Assert.True(watch.ElapsedMilliseconds < 3000, "the 30 s wait is cut short");
            Thread.Sleep(100);
            Assert.Equal(1, supervisor.Starts);
        }

        [Fact]
        public void ACannotStartIsReportedAndRetried()
        {
            var (supervisor, starter, events, _) = Create(TimeSpan.FromSeconds(5));
            var failures = 2;
            starter.Make = () => failures-- > 0 ? throw new System.ComponentModel.Win32Exception(2, "The system cannot find the file specified") : new FakeProcess();
            supervisor.Start();
            starter.Next();
            supervisor.Stop(null);
            var cannot = events.Entries.Where(e => e.Id == AgentSupervisor.EventCannotStart).ToArray();
            Assert.Equal(2, cannot.Length);
            Assert.Contains("Cannot start the agent (node.exe): The system cannot find the file specified. Next try in 0.1 s.", cannot[0].Message);
            Assert.Equal(1, supervisor.Starts);
        }
    }
}
