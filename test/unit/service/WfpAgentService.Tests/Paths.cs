using System;
using System.IO;

namespace WfpBlockAgent.Service.Tests
{
    internal static class Paths
    {
        /// <summary>The repository root (this project sits at test/unit/service/WfpAgentService.Tests).</summary>
        public static readonly string Root = FindRoot();

        /// <summary>Node 24 as the repo pins it (node_modules/.bin/node), as the agent's tests run it.</summary>
        public static string Node => Environment.GetEnvironmentVariable("WFP_TEST_NODE") is { Length: > 0 } n ? n : Path.Combine(Root, "node_modules", ".bin", "node");

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "agent", "cli", "wfp-agent.mjs"))) dir = dir.Parent;
            if (dir == null) throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
            return dir.FullName;
        }
    }
}
