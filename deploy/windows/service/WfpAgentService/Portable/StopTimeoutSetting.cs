using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// source.stop_timeout_ms from the agent's YAML config, read with a small line scan rather than a YAML library
    /// (the host must not fail where the agent would report the problem itself): the key indented under the
    /// top-level `source:` block. Anything unreadable gives the agent's default; the agent validates the config.
    /// </summary>
    public static class StopTimeoutSetting
    {
        public const int DefaultMs = 10000;
        public const int MinMs = 1000;
        public const int MaxMs = 600000;

        private static readonly Regex TopLevelKey = new Regex(@"^([A-Za-z_][\w-]*)\s*:(.*)$");
        private static readonly Regex StopKey = new Regex(@"^\s+stop_timeout_ms\s*:\s*(\d+)\s*(#.*)?$");

        public static int FromYaml(string yaml)
        {
            if (string.IsNullOrEmpty(yaml)) return DefaultMs;
            var inSource = false;
            foreach (var raw in yaml.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                var top = TopLevelKey.Match(line);
                if (top.Success)
                {
                    inSource = top.Groups[1].Value == "source";
                    // Flow style on one line: source: { stop_timeout_ms: 5000 }
                    if (inSource)
                    {
                        var flow = Regex.Match(top.Groups[2].Value, @"[{,]\s*stop_timeout_ms\s*:\s*(\d+)\s*[,}]");
                        if (flow.Success) return Clamp(flow.Groups[1].Value);
                    }
                    continue;
                }
                if (!inSource) continue;
                var key = StopKey.Match(line);
                if (key.Success) return Clamp(key.Groups[1].Value);
            }
            return DefaultMs;
        }

        private static int Clamp(string digits)
        {
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return DefaultMs;
            // Out of range: the agent refuses the config and exits at once, so the value never bounds a stop.
            return ms < MinMs || ms > MaxMs ? DefaultMs : (int)ms;
        }

        /// <summary>How long the host waits after closing stdin: the agent's own bound plus time to exit.</summary>
        public static TimeSpan HostWait(int agentStopTimeoutMs, TimeSpan margin) => TimeSpan.FromMilliseconds(agentStopTimeoutMs) + margin;
    }
}
