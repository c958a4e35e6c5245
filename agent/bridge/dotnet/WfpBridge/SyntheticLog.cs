// A simulated Security log for tests and benchmarks (never used unless JS passes a synthetic producer): the
// records that exist at any moment are a pure function of the specification and the wall clock, so a second
// agent process started later (after a kill) sees the same log, grown by what was "written" meanwhile.
//
//   write index k = 0, 1, 2, ...         (records written so far: backlog + rate × elapsed, at most count)
//   record id     = firstId + k          until clearAfter is written; then the log is cleared and numbering
//                                        restarts at 1 with a 1102 record, like the Security log
//   oldest        = first id of the current numbering, raised by maxRecords (overwrite) and wrapAt/wrapOldest
//
// Event ids follow a fixed weighted pattern over k, so a record read twice has the same content.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace WfpBlockAgent.Bridge
{
    /// <summary>Thrown when a synthetic record is configured to fail rendering (like a ToXml() failure).</summary>
    public sealed class SyntheticRenderException : Exception
    {
        public SyntheticRenderException(long recordId) : base("Record " + recordId + " cannot be rendered (synthetic render failure).") { }
    }

    public sealed class SyntheticSpec
    {
        public long FirstId { get; set; } = 1;
        /// <summary>Most records ever written; -1: no limit (needs a rate).</summary>
        public long Count { get; set; } = -1;
        /// <summary>Records already in the log at StartUnixMs.</summary>
        public long Backlog { get; set; }
        /// <summary>Records written per second after StartUnixMs; 0: only the backlog.</summary>
        public double Rate { get; set; }
        public double StartUnixMs { get; set; }
        /// <summary>Event id → XML with {id} (record id) and {time} (ISO UTC) placeholders.</summary>
        public IDictionary<int, string> Templates { get; set; } = new Dictionary<int, string>();
        /// <summary>Used for an event id without its own template.</summary>
        public string DefaultTemplate { get; set; } = "<Event><System><EventID>{eventId}</EventID><EventRecordID>{id}</EventRecordID></System></Event>";
        /// <summary>Event id → weight; the pattern repeats every sum(weights) records.</summary>
        public IReadOnlyList<int> Pattern { get; set; } = new[] { 5157 };
        /// <summary>Every Nth record (k % N == N - 1) is cut in half (malformed XML); 0: none.</summary>
        public long MalformedEvery { get; set; }
        /// <summary>Every Nth record (k % N == N - 1) cannot be rendered; 0: none.</summary>
        public long RenderFailEvery { get; set; }
        /// <summary>The log keeps at most this many records (older ones are overwritten); 0: unlimited.</summary>
        public long MaxRecords { get; set; }
        /// <summary>Once record WrapAt exists, the records before WrapOldest are gone (0: never).</summary>
        public long WrapAt { get; set; }
        public long WrapOldest { get; set; }
        /// <summary>Once record ClearAfter is written, the log is cleared: the next record is id 1, a 1102 (0: never).</summary>
        public long ClearAfter { get; set; }

        public static SyntheticSpec From(IDictionary<string, object> p)
        {
            var s = new SyntheticSpec();
            s.FirstId = Long(p, "firstId", 1);
            s.Rate = Double(p, "rate", 0);
            var count = Long(p, "count", -1);
            s.Backlog = Long(p, "backlog", s.Rate > 0 ? 0 : Math.Max(0, count));
            s.Count = count;
            s.StartUnixMs = Double(p, "startUnixMs", (DateTime.UtcNow - UnixEpoch).TotalMilliseconds);
            if (p.TryGetValue("template", out var t) && t is string single) s.DefaultTemplate = single;
            if (p.TryGetValue("templates", out var ts) && ts is IDictionary<string, object> templates)
                foreach (var pair in templates)
                    if (pair.Value is string text) s.Templates[int.Parse(pair.Key, CultureInfo.InvariantCulture)] = text;
            if (p.TryGetValue("mix", out var m) && m is IDictionary<string, object> mix && mix.Count > 0)
                s.Pattern = WeightedPattern(mix.ToDictionary(e => int.Parse(e.Key, CultureInfo.InvariantCulture), e => (int)Long(mix, e.Key, 1)));
            s.MalformedEvery = Long(p, "malformedEvery", 0);
            s.RenderFailEvery = Long(p, "renderFailEvery", 0);
            s.MaxRecords = Long(p, "maxRecords", 0);
            s.WrapAt = Long(p, "wrapAt", 0);
            s.WrapOldest = Long(p, "wrapOldest", 0);
            s.ClearAfter = Long(p, "clearAfter", 0);
            if (s.Rate <= 0 && s.Count < 0 && s.Backlog <= 0) throw new ArgumentException("producer: give count, backlog or rate.");
            return s;
        }

        /// <summary>Interleaves the ids by weight (largest remainder), e.g. {5152: 3, 5157: 1} → 5152 5152 5157 5152.</summary>
        public static IReadOnlyList<int> WeightedPattern(IDictionary<int, int> weights)
        {
            var total = weights.Values.Sum();
            if (total <= 0 || weights.Values.Any(w => w < 0)) throw new ArgumentException("producer.mix: expected positive weights.");
            var credit = weights.Keys.ToDictionary(k => k, _ => 0);
            var pattern = new List<int>(total);
            for (var i = 0; i < total; i++)
            {
                foreach (var k in weights.Keys) credit[k] += weights[k];
                var pick = credit.OrderByDescending(e => e.Value).ThenBy(e => e.Key).First().Key;
                credit[pick] -= total;
                pattern.Add(pick);
            }
            return pattern;
        }

        internal static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private static long Long(IDictionary<string, object> p, string key, long fallback)
        {
            if (!p.TryGetValue(key, out var v) || v == null) return fallback;
            var d = Convert.ToDouble(v, CultureInfo.InvariantCulture);
            if (d != Math.Floor(d)) throw new ArgumentException("producer." + key + ": expected an integer.");
            return (long)d;
        }

        private static double Double(IDictionary<string, object> p, string key, double fallback) =>
            p.TryGetValue(key, out var v) && v != null ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : fallback;
    }

    public sealed class SyntheticLog
    {
        private readonly SyntheticSpec _spec;
        private readonly Func<double> _nowMs;
        private readonly long _preClear;

        public SyntheticLog(SyntheticSpec spec, Func<double> nowUnixMs = null)
        {
            _spec = spec;
            _nowMs = nowUnixMs ?? (() => (DateTime.UtcNow - SyntheticSpec.UnixEpoch).TotalMilliseconds);
            _preClear = spec.ClearAfter > 0 ? spec.ClearAfter - spec.FirstId + 1 : long.MaxValue;
        }

        public SyntheticSpec Spec => _spec;

        /// <summary>Records written so far (write indexes 0 .. Written-1).</summary>
        public long Written()
        {
            var n = _spec.Backlog;
            if (_spec.Rate > 0) n += (long)Math.Floor(Math.Max(0, _nowMs() - _spec.StartUnixMs) / 1000d * _spec.Rate);
            return _spec.Count >= 0 ? Math.Min(n, _spec.Count) : n;
        }

        /// <summary>Milliseconds until write index k exists (0 when it does; +inf when it never will).</summary>
        public double MsUntil(long k)
        {
            if (_spec.Count >= 0 && k >= _spec.Count) return double.PositiveInfinity;
            if (k < _spec.Backlog) return 0;
            if (_spec.Rate <= 0) return double.PositiveInfinity;
            var due = _spec.StartUnixMs + (k - _spec.Backlog + 1) * 1000d / _spec.Rate;
            return Math.Max(0, due - _nowMs());
        }

        public long IdOf(long k) => k < _preClear ? _spec.FirstId + k : k - _preClear + 1;

        /// <summary>0 before the clear, 1 after.</summary>
        public int NumberingOf(long k) => k < _preClear ? 0 : 1;

        /// <summary>Write index of a record id in the given numbering.</summary>
        public long IndexOf(long id, int numbering) => numbering == 0 ? id - _spec.FirstId : _preClear + id - 1;

        public int EventIdOf(long k) => k == _preClear ? 1102 : _spec.Pattern[(int)(k % _spec.Pattern.Count)];

        /// <summary>The write index of the oldest record still in the log, or Written() when it is empty.</summary>
        public long OldestIndex(long written)
        {
            if (written == 0) return 0;
            var numbering = NumberingOf(written - 1);
            var oldest = numbering == 0 ? 0 : _preClear;
            if (_spec.MaxRecords > 0) oldest = Math.Max(oldest, written - _spec.MaxRecords);
            if (numbering == 0 && _spec.WrapAt > 0 && IdOf(written - 1) >= _spec.WrapAt)
                oldest = Math.Max(oldest, Math.Min(IndexOf(_spec.WrapOldest, 0), written - 1));
            return oldest;
        }

        public LogInfo Info()
        {
            var written = Written();
            if (written == 0) return new LogInfo { Retention = "overwrite" };
            var oldest = OldestIndex(written);
            return new LogInfo
            {
                OldestRecordId = IdOf(oldest),
                NewestRecordId = IdOf(written - 1),
                RecordCount = written - oldest,
                Retention = "overwrite",
            };
        }

        public DateTime TimeOf(long k)
        {
            var ms = k < _spec.Backlog || _spec.Rate <= 0
                ? _spec.StartUnixMs - (_spec.Backlog - k)
                : _spec.StartUnixMs + (k - _spec.Backlog + 1) * 1000d / _spec.Rate;
            return SyntheticSpec.UnixEpoch.AddMilliseconds(ms);
        }

        /// <summary>The record's XML; throws SyntheticRenderException for a record configured to fail.</summary>
        public string Render(long k)
        {
            var id = IdOf(k);
            if (_spec.RenderFailEvery > 0 && k % _spec.RenderFailEvery == _spec.RenderFailEvery - 1) throw new SyntheticRenderException(id);
            var eventId = EventIdOf(k);
            var template = _spec.Templates.TryGetValue(eventId, out var t) ? t : _spec.DefaultTemplate;
            var xml = template
                .Replace("{id}", id.ToString(CultureInfo.InvariantCulture))
                .Replace("{eventId}", eventId.ToString(CultureInfo.InvariantCulture))
                .Replace("{time}", TimeOf(k).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            if (_spec.MalformedEvery > 0 && k % _spec.MalformedEvery == _spec.MalformedEvery - 1) xml = xml.Substring(0, xml.Length / 2);
            return xml;
        }
    }
}
