using System;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// Where things are (deploy/windows/service/README.md, the agreed install layout): binaries under INSTALLDIR
    /// (the folder of WfpAgentService.exe), config, state and logs under %ProgramData%\wfp-block-agent.
    /// </summary>
    public sealed class InstallLayout
    {
        public const string ServiceName = "wfp-block-agent";
        public const string EventSource = "wfp-block-agent";

        private readonly char separator;

        public InstallLayout(string installDir, string dataDir, char separator)
        {
            InstallDir = installDir.TrimEnd('\\', '/');
            DataDir = dataDir.TrimEnd('\\', '/');
            this.separator = separator;
        }

        public string InstallDir { get; }
        public string DataDir { get; }
        public string NodeExe => Combine(InstallDir, "node.exe");
        public string AgentBundle => Combine(InstallDir, "agent", "wfp-agent.mjs");
        public string ConfigFile => Combine(DataDir, "agent.yaml");
        /// <summary>The MSI properties as YAML, laid over agent.yaml by the agent (written by install-finish).</summary>
        public string InstallOverlayFile => Combine(DataDir, "install.yaml");
        /// <summary>The bundled default config, copied to ConfigFile when that is missing.</summary>
        public string BundledConfig => Combine(InstallDir, "config", "agent.yaml");
        public string StateDir => Combine(DataDir, "state");
        public string CompileCacheDir => Combine(DataDir, "state", "compile-cache");
        public string LogsDir => Combine(DataDir, "logs");
        public string AgentLogFile => Combine(DataDir, "logs", "agent-stderr.log");

        private string Combine(params string[] parts) => string.Join(separator.ToString(), parts);
    }
}
