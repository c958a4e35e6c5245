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

        /// <summary>What to run and how long a stop may take, from the layout and the text of agent.yaml.</summary>
        public static SupervisorOptions Options(InstallLayout layout, string configText) => new SupervisorOptions
        {
            Start = AgentCommand.Build(layout),
            StopWait = StopTimeoutSetting.HostWait(StopTimeoutSetting.FromYaml(configText), StopMargin),
        };

        /// <summary>Creates the logs and compile-cache folders and the rotating log of the agent's output.</summary>
        public static RotatingLogFile CreateLog(InstallLayout layout, IFileSystem fs, IClock clock)
        {
            fs.CreateDirectory(layout.LogsDir);
            fs.CreateDirectory(layout.CompileCacheDir);
            return new RotatingLogFile(fs, clock, layout.AgentLogFile, LogMaxBytes, LogFiles);
        }

        public static AgentSupervisor Create(InstallLayout layout, IFileSystem fs, IClock clock, IEventLogWriter events, IProcessStarter starter, string configText) =>
            new AgentSupervisor(Options(layout, configText), starter, clock, events, CreateLog(layout, fs, clock));
    }
}
