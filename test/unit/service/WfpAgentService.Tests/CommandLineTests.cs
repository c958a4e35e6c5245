using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    public class WindowsCommandLineTests
    {
        [Theory]
        [InlineData("run", "run")]
        [InlineData("C:\\ProgramData\\wfp-block-agent\\agent.yaml", "C:\\ProgramData\\wfp-block-agent\\agent.yaml")]
        [InlineData("C:\\Program Files\\wfp-block-agent\\agent\\wfp-agent.mjs", "\"C:\\Program Files\\wfp-block-agent\\agent\\wfp-agent.mjs\"")]
        [InlineData("C:\\Program Files\\", "\"C:\\Program Files\\\\\"")]
        [InlineData("", "\"\"")]
        [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
        [InlineData("a\\\\\"b", "\"a\\\\\\\\\\\"b\"")]
        [InlineData("tab\there", "\"tab\there\"")]
        public void QuotesOnlyWhatNeedsIt(string arg, string expected)
        {
            Assert.Equal(expected, WindowsCommandLine.Quote(arg));
        }

        /// <summary>
        /// Round trip through a real parser: .NET splits ProcessStartInfo.Arguments with the same rules as
        /// CommandLineToArgvW, and node prints the argv it got.
        /// </summary>
        [Fact]
        public void NodeReceivesEveryArgumentIntact()
        {
            var args = new[]
            {
                "C:\\Program Files\\wfp-block-agent\\agent\\wfp-agent.mjs",
                "C:\\Program Files\\",
                "",
                "plain",
                "with \"quotes\" inside",
                "trailing\\",
                "back\\\\slashes\\\\\"and quote",
                "ünïcødé path",
            };
            var info = new ProcessStartInfo(Paths.Node, "-e \"process.stdout.write(JSON.stringify(process.argv.slice(1)))\" " + WindowsCommandLine.Join(args))
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            var output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(20000));
            Assert.Equal(args, JsonSerializer.Deserialize<string[]>(output));
        }
    }

    public class AgentCommandTests
    {
        [Fact]
        public void RunsTheBundleWithTheLauncherFlagsTheServiceConfigAndTheStdinStop()
        {
            var layout = new InstallLayout("C:\\Program Files\\wfp-block-agent\\", "C:\\ProgramData\\wfp-block-agent", '\\');
            var start = AgentCommand.Build(layout);
            Assert.Equal("C:\\Program Files\\wfp-block-agent\\node.exe", start.FileName);
            Assert.Equal(
                "--max-semi-space-size=16 --v8-pool-size=1 \"C:\\Program Files\\wfp-block-agent\\agent\\wfp-agent.mjs\" run " +
                "--config C:\\ProgramData\\wfp-block-agent\\agent.yaml --stop-on-stdin-eof",
                start.Arguments);
            Assert.Equal("C:\\ProgramData\\wfp-block-agent\\state\\compile-cache", start.Environment["NODE_COMPILE_CACHE"]);
            Assert.Null(start.Environment["NODE_OPTIONS"]);
            Assert.Contains("EDGE_", start.RemovePrefixes);
            Assert.Equal("C:\\ProgramData\\wfp-block-agent", start.WorkingDirectory);
            Assert.Equal("C:\\ProgramData\\wfp-block-agent\\logs\\agent-stderr.log", layout.AgentLogFile);
        }

        [Fact]
        public void QuotesADataFolderWithSpaces()
        {
            var layout = new InstallLayout("D:\\Apps\\wfp", "D:\\Data Root\\wfp-block-agent", '\\');
            Assert.EndsWith("run --config \"D:\\Data Root\\wfp-block-agent\\agent.yaml\" --stop-on-stdin-eof", AgentCommand.Build(layout).Arguments);
        }
    }

    public class StopTimeoutSettingTests
    {
        [Theory]
        [InlineData("", 10000)]
        [InlineData("source:\n  batch_size: 5\n  stop_timeout_ms: 4000\n", 4000)]
        [InlineData("source:\r\n  stop_timeout_ms: 25000 # a slow backend\r\n", 25000)]
        [InlineData("exporters:\n  stop_timeout_ms: 3000\nsource:\n  batch_size: 5\n", 10000)]
        [InlineData("source:\n  batch_size: 5\nfilters:\n  stop_timeout_ms: 3000\n", 10000)]
        [InlineData("source: { batch_size: 5, stop_timeout_ms: 7000 }\n", 7000)]
        [InlineData("source:\n  stop_timeout_ms: 50\n", 10000)]
        [InlineData("source:\n  stop_timeout_ms: ${env:X}\n", 10000)]
        [InlineData("# source:\n#   stop_timeout_ms: 3000\n", 10000)]
        public void ReadsSourceStopTimeoutOrTheDefault(string yaml, int expected)
        {
            Assert.Equal(expected, StopTimeoutSetting.FromYaml(yaml));
        }

        [Fact]
        public void TheHostWaitsTheAgentsBoundPlusItsMargin()
        {
            Assert.Equal(TimeSpan.FromSeconds(15), StopTimeoutSetting.HostWait(10000, HostSetup.StopMargin));
        }
    }

    public class InstallFinishPlanTests
    {
        [Fact]
        public void SetsRecoveryActionsAndDelayedStartWithScExe()
        {
            var lines = new List<string>();
            foreach (var c in InstallFinishPlan.ScCommands("wfp-block-agent")) lines.Add(c.CommandLine);
            Assert.Equal(
                new[]
                {
                    "failure wfp-block-agent reset= 86400 actions= restart/5000/restart/15000/restart/60000",
                    "failureflag wfp-block-agent 1",
                    "config wfp-block-agent start= delayed-auto",
                },
                lines);
        }

        [Fact]
        public void ProtectsTheDataFolderForSystemAndAdministratorsBySid()
        {
            Assert.Equal(new[] { "S-1-5-18", "S-1-5-32-544" }, Array.ConvertAll(new List<FullControlGrant>(InstallFinishPlan.DataDirGrants).ToArray(), g => g.Sid));
        }
    }
}
