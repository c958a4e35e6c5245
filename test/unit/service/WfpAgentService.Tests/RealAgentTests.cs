using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    /// <summary>
    /// The host's real classes (HostSetup, AgentSupervisor, SystemProcessStarter, RotatingLogFile on disk) run the
    /// real agent: Linux Node 24 with agent/cli/wfp-agent.mjs, laid out like an install in folders with spaces, and
    /// stop it by closing its stdin. The agent reads the real net48 bridge's synthetic producer (edge-js on CoreCLR,
    /// test/setup/steps/11-edge-js.sh; the hidden --synthetic-source switch) and exports to the console, which the
    /// host's log captures. Needs the bridge assembly and edge-js built (test/integration/service-host.test.ts checks).
    /// </summary>
    public class RealAgentTests
    {
        private static string BlockTemplate(int eventId)
        {
            var xml = File.ReadAllText(Path.Combine(Paths.Root, "test", "fixtures", "ms-docs", $"event-{eventId}.xml"));
            xml = Regex.Replace(xml, @"<EventRecordID>\d+</EventRecordID>", "<EventRecordID>{id}</EventRecordID>");
            return Regex.Replace(xml, "SystemTime=\"[^\"]*\"", "SystemTime=\"{time}\"");
        }

        /// <summary>File links only: deleting the temp folder then removes the links, never what they point to.</summary>
        private static void Link(string link, string target) => File.CreateSymbolicLink(link, target);

        [Fact]
        public void StopsTheRealAgentGracefullyWithTheCheckpointWritten()
        {
            var root = Directory.CreateTempSubdirectory("wfp-service-host-").FullName;
            AgentSupervisor supervisor = null;
            try
            {
                // INSTALLDIR\node.exe and INSTALLDIR\agent\ -> this checkout's Node and agent (in folders with spaces).
                var installDir = Path.Combine(root, "Program Files", "wfp-block-agent");
                var dataDir = Path.Combine(root, "Program Data", "wfp-block-agent");
                Directory.CreateDirectory(installDir);
                Directory.CreateDirectory(dataDir);
                var node = Path.GetFullPath(Paths.Node);
                Link(Path.Combine(installDir, "node.exe"), new FileInfo(node).LinkTarget != null ? new FileInfo(node).ResolveLinkTarget(true).FullName : node);
                // The package's agent\wfp-agent.mjs is the bundle; here the checkout's launcher (Node follows the link).
                Directory.CreateDirectory(Path.Combine(installDir, "agent"));
                Link(Path.Combine(installDir, "agent", "wfp-agent.mjs"), Path.Combine(Paths.Root, "agent", "cli", "wfp-agent.mjs"));
                var layout = new InstallLayout(installDir, dataDir, '/');

                var yaml = string.Join("\n", new[]
                {
                    $"state_dir: {JsonSerializer.Serialize(layout.StateDir)}",
                    "exporters:",
                    "  otlp:",
                    "    enabled: false",
                    "  console:",
                    "    enabled: true",
                    "source:",
                    "  start_position: beginning",
                    "  batch_size: 100",
                    "  max_delay_ms: 50",
                    "  stop_timeout_ms: 8000",
                    "filters:",
                    "  snapshot: \"off\"",
                    "audit_policy:",
                    "  mode: \"off\"",
                    "",
                });
                File.WriteAllText(layout.ConfigFile, yaml);
                var spec = Path.Combine(dataDir, "synthetic spec.json");
                var templates = new Dictionary<string, string> { ["5157"] = BlockTemplate(5157), ["5152"] = BlockTemplate(5152) };
                File.WriteAllText(spec, JsonSerializer.Serialize(new
                {
                    producer = new { firstId = 7001, backlog = 400, rate = 50, mix = new Dictionary<string, int> { ["5157"] = 1, ["5152"] = 1 }, templates },
                    edgeJs = Path.Combine(Paths.Root, ".tools", "edge-js", "node_modules", "edge-js"),
                }));

                var clock = new SystemClock();
                var fs = new RealFileSystem();
                var events = new RecordingEventLog();
                var options = HostSetup.Options(layout, File.ReadAllText(layout.ConfigFile));
                Assert.Equal(TimeSpan.FromSeconds(13), options.StopWait);
                // The production command line, plus the test-only source switch.
                options.Start.Arguments += " --synthetic-source " + WindowsCommandLine.Quote(spec);
                options.Start.Environment["WFP_AGENT_TEST_SYNTHETIC_SOURCE"] = "1";
                supervisor = new AgentSupervisor(options, new SystemProcessStarter(), clock, events, HostSetup.CreateLog(layout, fs, clock));
                supervisor.Start();

                var checkpointFile = Path.Combine(layout.StateDir, "checkpoint.json");
                long Checkpoint()
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(File.ReadAllText(checkpointFile));
                        return doc.RootElement.GetProperty("channels").GetProperty("Security").GetProperty("record_id").GetInt64();
                    }
                    catch (Exception)
                    {
                        return 0;
                    }
                }
                var backlogDone = SpinWait.SpinUntil(() => Checkpoint() >= 7400, TimeSpan.FromSeconds(60));
                Assert.True(backlogDone, "backlog not checkpointed; log:\n" + SafeRead(layout.AgentLogFile) + string.Join("\n", events.Entries.Select(e => e.Message)));
                Assert.Equal(1, supervisor.Starts);

                var asked = new List<TimeSpan>();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                supervisor.Stop(t => asked.Add(t));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"stop took {watch.Elapsed}");

                var exit = Assert.Single(supervisor.Exits);
                Assert.True(exit.Requested);
                Assert.False(exit.Killed);
                Assert.Equal(0, exit.ExitCode);
                Assert.NotEmpty(asked);
                var log = File.ReadAllText(layout.AgentLogFile);
                Assert.Contains("[stderr] wfp-agent run: Stopping (standard input closed (--stop-on-stdin-eof)): flushing the batch in hand and writing the checkpoint.", log);
                var stopped = Regex.Match(log, @"\[stderr\] wfp-agent run: Stopped: (\d+) records read, (\d+) acknowledged, 0 dropped; checkpoint at (\d+)\.");
                Assert.True(stopped.Success, log);
                Assert.Equal(Checkpoint(), long.Parse(stopped.Groups[3].Value));
                Assert.True(Checkpoint() >= 7400);
                // The console exporter's records came through stdout into the same log.
                Assert.Contains("[stdout] ", log);
                Assert.Contains("[host] The agent stopped as asked, exit code 0", log);
                // NODE_COMPILE_CACHE reached node: it compiled the agent's modules into the state folder.
                Assert.NotEmpty(Directory.EnumerateFiles(layout.CompileCacheDir, "*", SearchOption.AllDirectories));
                var entries = events.Entries.ToArray();
                Assert.Equal(AgentSupervisor.EventStarted, entries[0].Id);
                Assert.Contains("--stop-on-stdin-eof", entries[0].Message);
                Assert.Equal((EventLevel.Information, AgentSupervisor.EventStopped), (entries.Last().Level, entries.Last().Id));
                Assert.Contains("Stopped:", entries.Last().Message);
            }
            finally
            {
                try { supervisor?.Stop(null); } catch (Exception) { /* already stopped */ }
                Directory.Delete(root, true);
            }
        }

        private static string SafeRead(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }
}
