using System.Collections.Generic;

namespace WfpBlockAgent.Service
{
    /// <summary>The node.exe command line the service runs (the launcher flags of agent/cli/wfp-agent.mjs).</summary>
    public static class AgentCommand
    {
        /// <summary>Same V8 flags as every other launcher (wfp-agent.mjs's #! line, wfp-agent.cmd); a node test checks they match.</summary>
        public static readonly string[] NodeFlags = { "--max-semi-space-size=16", "--v8-pool-size=1" };

        public static IReadOnlyList<string> Arguments(string agentBundle, string configFile)
        {
            var args = new List<string>(NodeFlags) { agentBundle, "run", "--config", configFile, "--stop-on-stdin-eof" };
            return args;
        }

        public static AgentStart Build(string nodeExe, string agentBundle, string configFile, string compileCacheDir, string workingDirectory)
        {
            var start = new AgentStart
            {
                FileName = nodeExe,
                Arguments = WindowsCommandLine.Join(Arguments(agentBundle, configFile)),
                WorkingDirectory = workingDirectory,
            };
            start.Environment["NODE_COMPILE_CACHE"] = compileCacheDir;
            // A machine-wide NODE_OPTIONS or NODE_PATH would change what the agent loads and how it runs; the
            // service runs exactly the shipped bundle. EDGE_* would redirect edge-js (the agent drops them too).
            start.Environment["NODE_OPTIONS"] = null;
            start.Environment["NODE_PATH"] = null;
            start.RemovePrefixes.Add("EDGE_");
            return start;
        }

        public static AgentStart Build(InstallLayout layout) =>
            Build(layout.NodeExe, layout.AgentBundle, layout.ConfigFile, layout.CompileCacheDir, layout.DataDir);
    }
}
