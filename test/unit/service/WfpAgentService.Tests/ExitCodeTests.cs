using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    /// <summary>How the host reads the agent's exit codes (wfp-agent run --help): 0 clean stop, 1 problems, 2 configuration.</summary>
    public class ExitCodeTests
    {
        private static (AgentSupervisor Supervisor, FakeStarter Starter, RecordingEventLog Events) Create()
        {
            var starter = new FakeStarter();
            var events = new RecordingEventLog();
            var clock = new FixedClock();
            var options = new SupervisorOptions
            {
                Start = new AgentStart { FileName = "node.exe", Arguments = "agent.mjs run --stop-on-stdin-eof" },
                StopWait = TimeSpan.FromSeconds(5),
                StopPulse = TimeSpan.FromMilliseconds(100),
                Restart = new RestartPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30)),
                StderrTail = 3,
            };
            var log = new RotatingLogFile(new MemoryFileSystem(), clock, "agent-stderr.log", 1 << 20, 2);
            return (new AgentSupervisor(options, starter, clock, events, log), starter, events);
        }

        [Fact]
        public void ACleanStopAfterDroppedRecordsIsInformation_TheDropsAreInItsLines()
        {
            var (supervisor, starter, events) = Create();
            supervisor.Start();
            var agent = starter.Next();
            agent.Stderr("wfp-agent run: Stopped: 10 records read, 10 acknowledged, 1 dropped; checkpoint at 20.");
            supervisor.Stop(null);
            var stopped = events.Entries.Last();
            Assert.Equal((EventLevel.Information, AgentSupervisor.EventStopped), (stopped.Level, stopped.Id));
            Assert.StartsWith("The agent stopped as asked, exit code 0", stopped.Message);
            Assert.DoesNotContain("Exit code", stopped.Message);
            Assert.Contains("1 dropped", stopped.Message);
        }

        [Fact]
        public void AStopThatDidNotFinishCleanlyIsAWarningThatSaysWhatCode1Means()
        {
            var (supervisor, starter, events) = Create();
            supervisor.Start();
            var agent = starter.Next();
            agent.ExitOnStdinClose = AgentSupervisor.ExitProblems;
            agent.Stderr("wfp-agent run: The stop did not finish within source.stop_timeout_ms (10000 ms); exiting now with code 1.");
            supervisor.Stop(null);
            var stopped = events.Entries.Last();
            Assert.Equal((EventLevel.Warning, AgentSupervisor.EventStopped), (stopped.Level, stopped.Id));
            Assert.Contains("exit code 1", stopped.Message);
            Assert.Contains("its stop did not finish within source.stop_timeout_ms", stopped.Message);
            Assert.Null(Assert.Single(supervisor.Exits).RestartIn);
        }

        [Fact]
        public void AConfigurationErrorIsAnErrorWithTheHint_AndIsStartedAgain()
        {
            var (supervisor, starter, events) = Create();
            supervisor.Start();
            var agent = starter.Next();
            agent.Stderr("wfp-agent run: source.queue_bond: unknown key; did you mean 'queue_bound'?");
            agent.Exit(AgentSupervisor.ExitUsage);
            var next = starter.Next();
            supervisor.Stop(null);
            Assert.True(next.InputClosed);
            var exited = events.Entries.Single(e => e.Id == AgentSupervisor.EventExited);
            Assert.Equal(EventLevel.Error, exited.Level);
            Assert.StartsWith("The agent exited on its own with code 2", exited.Message);
            Assert.Contains("wfp-agent config validate", exited.Message);
            Assert.Contains("queue_bond", exited.Message);
        }

        [Theory]
        [InlineData(1, "could not start")]
        [InlineData(2, "configuration error")]
        [InlineData(-1, "does not use this exit code")]
        [InlineData(134, "does not use this exit code")]
        public void EveryNonzeroCodeIsExplained(int code, string meaning) =>
            Assert.Contains(meaning, AgentSupervisor.MeaningOf(code));
    }
}
