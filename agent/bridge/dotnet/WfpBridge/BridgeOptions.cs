// The options JS passes to "start", read from the plain dictionary edge-js hands over (numbers arrive as
// int or double, arrays as object[]). Invalid input throws ArgumentException with the key in the message.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WfpBlockAgent.Bridge
{
    public sealed class BridgeOptions
    {
        public string Channel { get; set; } = "Security";
        public IReadOnlyList<int> EventIds { get; set; } = Array.Empty<int>();
        public StartPosition Start { get; set; } = StartPosition.Beginning();
        public int BatchSize { get; set; } = 256;
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(1000);
        public int QueueBound { get; set; } = 4096;
        /// <summary>After an overflow, resubscribe once the queue is down to this many records.</summary>
        public int ResumeBelow { get; set; } = 1024;
        public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromMilliseconds(1000);
        public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMilliseconds(30000);
        public TimeSpan StopTimeout { get; set; } = TimeSpan.FromMilliseconds(5000);

        public static BridgeOptions From(IDictionary<string, object> input)
        {
            var o = new BridgeOptions();
            if (input.TryGetValue("channel", out var channel) && channel != null) o.Channel = Convert.ToString(channel, CultureInfo.InvariantCulture);
            if (!input.TryGetValue("eventIds", out var ids) || !(ids is IEnumerable<object> idList))
                throw new ArgumentException("eventIds: expected an array of event ids.");
            o.EventIds = idList.Select(v => ToInt(v, "eventIds")).ToList();
            o.Start = ReadStart(input.TryGetValue("start", out var start) ? start as IDictionary<string, object> : null);
            o.BatchSize = Positive(input, "batchSize", o.BatchSize);
            o.MaxDelay = TimeSpan.FromMilliseconds(Positive(input, "maxDelayMs", (int)o.MaxDelay.TotalMilliseconds));
            o.QueueBound = Positive(input, "queueBound", o.QueueBound);
            o.ResumeBelow = Math.Min(Positive(input, "resumeBelow", Math.Max(1, o.QueueBound / 4)), o.QueueBound);
            o.BackoffInitial = TimeSpan.FromMilliseconds(Positive(input, "backoffInitialMs", (int)o.BackoffInitial.TotalMilliseconds));
            o.BackoffMax = TimeSpan.FromMilliseconds(Math.Max(Positive(input, "backoffMaxMs", (int)o.BackoffMax.TotalMilliseconds), (int)o.BackoffInitial.TotalMilliseconds));
            o.StopTimeout = TimeSpan.FromMilliseconds(Positive(input, "stopTimeoutMs", (int)o.StopTimeout.TotalMilliseconds));
            if (o.BatchSize > o.QueueBound) throw new ArgumentException("batchSize: must not exceed queueBound.");
            return o;
        }

        private static StartPosition ReadStart(IDictionary<string, object> start)
        {
            if (start == null) throw new ArgumentException("start: expected { mode: 'after' | 'beginning' | 'since', ... }.");
            var mode = start.TryGetValue("mode", out var m) ? m as string : null;
            switch (mode)
            {
                case "after":
                    return StartPosition.After(start.TryGetValue("recordId", out var id) ? ToLong(id, "start.recordId") : -1);
                case "beginning":
                    return StartPosition.Beginning();
                case "since":
                    var text = start.TryGetValue("time", out var t) ? t as string : null;
                    if (text == null || !DateTime.TryParse(text, CultureInfo.InvariantCulture,
                            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
                        throw new ArgumentException("start.time: expected an ISO 8601 time.");
                    return StartPosition.Since(utc);
                default:
                    throw new ArgumentException("start.mode: expected after, beginning or since.");
            }
        }

        private static int Positive(IDictionary<string, object> input, string key, int fallback)
        {
            if (!input.TryGetValue(key, out var value) || value == null) return fallback;
            var n = ToInt(value, key);
            if (n < 1) throw new ArgumentException(key + ": expected a positive number.");
            return n;
        }

        private static int ToInt(object value, string key) => checked((int)ToLong(value, key));

        /// <summary>
        /// Every integer form edge-js can hand over: on .NET Framework a JS number in 2^31..2^32-1 arrives as uint,
        /// larger ones as double, and a record id may come as a string. Record ids are Int64 in the event-log API.
        /// </summary>
        internal static long ToLong(object value, string key)
        {
            switch (value)
            {
                case int i: return i;
                case uint u: return u;
                case long l: return l;
                case ulong ul when ul <= long.MaxValue: return (long)ul;
                case short sh: return sh;
                case ushort us: return us;
                case byte b: return b;
                case sbyte sb: return sb;
                case double d when d == Math.Floor(d) && Math.Abs(d) < 9.2233720368547758E18: return (long)d;
                case float f when f == Math.Floor(f) && Math.Abs(f) < 9.2233720368547758E18f: return (long)f;
                case decimal m when m == decimal.Truncate(m) && m >= long.MinValue && m <= long.MaxValue: return (long)m;
                case string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p): return p;
                default: throw new ArgumentException(key + ": expected an integer (got " + (value == null ? "nothing" : value.GetType().Name + " " + Convert.ToString(value, CultureInfo.InvariantCulture)) + ").");
            }
        }
    }
}
