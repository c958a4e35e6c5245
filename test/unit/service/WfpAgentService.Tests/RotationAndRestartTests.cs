using System;
using System.IO;
using System.Linq;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    public class RestartPolicyTests
    {
        [Fact]
        public void DoublesFromInitialUpToMax()
        {
            var policy = new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));
            var delays = Enumerable.Range(0, 9).Select(_ => policy.NextDelay(TimeSpan.FromSeconds(3)).TotalSeconds).ToArray();
            Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 60, 60, 60 }, delays);
            Assert.Equal(9, policy.ConsecutiveFailures);
        }

        [Fact]
        public void AHealthyRunResetsTheBackoff()
        {
            var policy = RestartPolicy.Default();
            policy.NextDelay(TimeSpan.Zero);
            policy.NextDelay(TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromSeconds(4), policy.NextDelay(TimeSpan.FromMinutes(4.9)));
            Assert.Equal(TimeSpan.FromSeconds(1), policy.NextDelay(TimeSpan.FromMinutes(5)));
            Assert.Equal(TimeSpan.FromSeconds(2), policy.NextDelay(TimeSpan.FromSeconds(1)));
        }

        [Fact]
        public void RefusesNonsense()
        {
            Assert.Throws<ArgumentException>(() => new RestartPolicy(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
            Assert.Throws<ArgumentException>(() => new RestartPolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
        }
    }

    public class RotatingLogFileTests
    {
        [Fact]
        public void StampsEachLineWithTimeAndStream()
        {
            var fs = new MemoryFileSystem();
            var log = new RotatingLogFile(fs, new FixedClock(), "logs/agent-stderr.log", 4096, 3);
            log.WriteLine("stderr", "wfp-agent run: Stopped.");
            Assert.Equal("2026-12-01T20:00:00.000Z [stderr] wfp-agent run: Stopped.\r\n", fs.Text("logs/agent-stderr.log"));
        }

        [Fact]
        public void KeepsAtMostFilesTimesTheCapAndDropsTheOldest()
        {
            var fs = new MemoryFileSystem();
            var log = new RotatingLogFile(fs, new FixedClock(), "a.log", 1024, 3);
            // Each line: 24 (stamp) + 10 (" [stderr] ") + 5 digits + 2 = 41 bytes; 24 fit in 1024.
            for (var i = 0; i < 200; i++) log.WriteLine("stderr", i.ToString("D5"));
            Assert.Equal(new[] { "a.log", "a.log.1", "a.log.2" }, fs.Files.Keys.OrderBy(k => k).ToArray());
            Assert.All(fs.Files.Values, f => Assert.True(f.Count <= 1024, $"{f.Count} bytes"));
            // The newest lines are in a.log, the ones before in a.log.1, a.log.2; nothing lost between them.
            var kept = new[] { "a.log.2", "a.log.1", "a.log" }.SelectMany(p => fs.Text(p).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)).Select(l => int.Parse(l.Substring(l.Length - 5))).ToArray();
            Assert.Equal(199, kept.Last());
            Assert.Equal(Enumerable.Range(kept.First(), kept.Length), kept);
            const int perFile = 1024 / 41;
            Assert.Equal(2 * perFile + (200 % perFile == 0 ? perFile : 200 % perFile), kept.Length);
        }

        [Fact]
        public void WithOneFileStartsOver()
        {
            var fs = new MemoryFileSystem();
            var log = new RotatingLogFile(fs, new FixedClock(), "a.log", 1024, 1);
            for (var i = 0; i < 30; i++) log.WriteLine("stderr", i.ToString("D5"));
            Assert.Equal(new[] { "a.log" }, fs.Files.Keys.ToArray());
            Assert.StartsWith("2026-12-01T20:00:00.000Z [stderr] 00024", fs.Text("a.log"));
        }

        [Fact]
        public void CutsALineLongerThanTheCap()
        {
            var fs = new MemoryFileSystem();
            var log = new RotatingLogFile(fs, new FixedClock(), "a.log", 1024, 2);
            log.WriteLine("stderr", new string('x', 5000));
            Assert.InRange(fs.Length("a.log"), 200, 1024);
            Assert.EndsWith("...\r\n", fs.Text("a.log"));
        }

        [Fact]
        public void ADiskFailureLosesLinesNotTheService()
        {
            var fs = new MemoryFileSystem { FailAppends = true };
            var log = new RotatingLogFile(fs, new FixedClock(), "a.log", 1024, 2);
            log.WriteLine("stderr", "one");
            fs.FailAppends = false;
            log.WriteLine("stderr", "two");
            Assert.Equal(1, log.LostLines);
            Assert.Contains("two", fs.Text("a.log"));
        }

        [Fact]
        public void KeepsWritingWhileAReaderBlocksRotationUpToTwiceTheCap()
        {
            var fs = new MemoryFileSystem();
            var log = new RotatingLogFile(fs, new FixedClock(), "a.log", 1024, 3);
            for (var i = 0; i < 20; i++) log.WriteLine("stderr", i.ToString("D5"));
            fs.FailMoves = true;
            for (var i = 20; i < 100; i++) log.WriteLine("stderr", i.ToString("D5"));
            Assert.Equal(new[] { "a.log" }, fs.Files.Keys.ToArray());
            Assert.InRange(fs.Length("a.log"), 2048 - 41, 2048);
            Assert.Equal(100 - 2048 / 41, log.LostLines);
            fs.FailMoves = false;
            log.WriteLine("stderr", "after");
            Assert.Equal(new[] { "a.log", "a.log.1" }, fs.Files.Keys.OrderBy(k => k).ToArray());
            Assert.EndsWith("[stderr] after\r\n", fs.Text("a.log"));
        }

        [Fact]
        public void RotatesRealFilesOnDisk()
        {
            var dir = Directory.CreateTempSubdirectory("wfp-service-log-").FullName;
            try
            {
                var path = Path.Combine(dir, "agent-stderr.log");
                File.WriteAllText(path, new string('y', 1000) + "\r\n");
                var log = new RotatingLogFile(new RealFileSystem(), new SystemClock(), path, 1024, 2);
                log.WriteLine("stdout", "after the existing content");
                Assert.StartsWith("yyy", File.ReadAllText(path + ".1"));
                Assert.EndsWith("[stdout] after the existing content\r\n", File.ReadAllText(path));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
