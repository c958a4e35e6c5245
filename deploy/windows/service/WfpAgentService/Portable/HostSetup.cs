using System;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// The host's parts put together from the install layout: what the service runs, and what a test runs on Linux
    /// against the real agent with the same classes (only the Job Object and the event log differ).
    /// </summary>
    public static class HostSetup
    {
        /// <summary>agent-stderr.log and its rotations: 10 MiB × 5 files at most.</summary>
        public const long LogMaxBytes = 10L * 1024 * 1024;
        public const int LogFiles = 5;
        /// <summary>Time for node.exe to exit after the agent's own stop bound (process teardown, a loaded machine).</summary>
        public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(5);

        public static AgentSupervisor Create(InstallLayout layout, IFileSystem fs, IClock clock, IEventLogWriter events, IProcessStarter starter, string configText)
        {
            fs.CreateDirectory(layout.LogsDir);
            fs.CreateDirectory(layout.CompileCacheDir);
            var log = new RotatingLogFile(fs, clock, layout.AgentLogFile, LogMaxBytes, LogFiles);
            var options = new SupervisorOptions
            {
                Start = AgentCommand.Build(layout),
                StopWait = StopTimeoutSetting.HostWait(StopTimeoutSetting.FromYaml(configText), StopMargin),
            };
            return new AgentSupervisor(options, starter, clock, events, log);
        }
    }
}
