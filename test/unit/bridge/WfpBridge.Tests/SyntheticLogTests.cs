using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>Collects what a watcher delivers.</summary>
    internal sealed class CollectingTarget : IRecordTarget
    {
        public readonly List<long> Ids = new List<long>();
        public readonly List<string> Xml = new List<string>();
        public readonly List<Exception> Errors = new List<Exception>();
        public bool Wants(long recordId) => true;
        public void Offer(RawEvent record)
        {
            lock (Ids)
            {
                Ids.Add(record.RecordId);
                Xml.Add(record.Xml);
            }
        }
        public readonly List<long> Skipped = new List<long>();
        public void Skip(long recordId, Exception error)
        {
            lock (Errors) Skipped.Add(recordId);
        }
        public void Fail(Exception error)
        {
            lock (Errors) Errors.Add(error);
        }
    }

    public class SyntheticLogTests
    {
        private static SyntheticLog Log(SyntheticSpec spec, double now) => new SyntheticLog(spec, () => now);

        [Fact]
        public void Grows_at_its_rate_from_the_backlog_and_stops_at_count()
        {
            var spec = new SyntheticSpec { FirstId = 100, Backlog = 10, Rate = 1000, StartUnixMs = 0, Count = 50 };
            Assert.Equal(10, Log(spec, 0).Written());
            Assert.Equal(20, Log(spec, 10).Written());
            Assert.Equal(50, Log(spec, 100000).Written());
            var info = Log(spec, 10).Info();
            Assert.Equal(100, info.OldestRecordId);
            Assert.Equal(119, info.NewestRecordId);
        }

        [Fact]
        public void Mixes_event_ids_by_weight_in_a_fixed_pattern()
        {
            var pattern = SyntheticSpec.WeightedPattern(new Dictionary<int, int> { [5152] = 3, [5157] = 1 });
            Assert.Equal(4, pattern.Count);
            Assert.Equal(3, pattern.Count(id => id == 5152));
            var spec = new SyntheticSpec { Backlog = 8, Pattern = pattern, DefaultTemplate = "<E>{eventId}/{id}</E>" };
            var log = Log(spec, 0);
            Assert.Equal(log.Render(1), log.Render(1));
            Assert.Equal(6, Enumerable.Range(0, 8).Count(k => log.Render(k).StartsWith("<E>5152/", StringComparison.Ordinal)));
        }

        [Fact]
        public void Wraps_at_a_given_record_and_a_resume_from_a_lost_bookmark_skips_the_oldest_like_a_non_strict_subscription()
        {
            var spec = new SyntheticSpec { FirstId = 1, Backlog = 100, WrapAt = 100, WrapOldest = 61 };
            var watcher = new SyntheticRecordWatcher(Log(spec, 0));
            var info = watcher.Read("Security");
            Assert.Equal(61, info.OldestRecordId);
            Assert.Equal(100, info.NewestRecordId);
            var target = new CollectingTarget();
            watcher.Start("Security", "", StartPosition.After(40), target);
            watcher.Stop();
            Assert.Equal(62, target.Ids.First());
            var fromBeginning = new CollectingTarget();
            watcher.Start("Security", "", StartPosition.Beginning(), fromBeginning);
            watcher.Stop();
            Assert.Equal(Enumerable.Range(61, 40).Select(i => (long)i), fromBeginning.Ids);
        }

        [Fact]
        public void A_clear_restarts_numbering_at_one_with_a_1102_and_an_old_bookmark_starts_at_the_end()
        {
            var spec = new SyntheticSpec { FirstId = 500, Backlog = 110, ClearAfter = 599, Templates = { [1102] = "<Cleared>{id}</Cleared>" } };
            var watcher = new SyntheticRecordWatcher(Log(spec, 0));
            var info = watcher.Read("Security");
            Assert.Equal(1, info.OldestRecordId);
            Assert.Equal(10, info.NewestRecordId);
            var beginning = new CollectingTarget();
            watcher.Start("Security", "", StartPosition.Beginning(), beginning);
            watcher.Stop();
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), beginning.Ids);
            Assert.Equal("<Cleared>1</Cleared>", beginning.Xml[0]);
            var stale = new CollectingTarget();
            watcher.Start("Security", "", StartPosition.After(550), stale);
            watcher.Stop();
            Assert.Empty(stale.Ids);
        }

        [Fact]
        public void Malformed_and_unrenderable_records_come_where_configured()
        {
            var spec = new SyntheticSpec { Backlog = 10, MalformedEvery = 5, RenderFailEvery = 4, DefaultTemplate = "<Event><EventRecordID>{id}</EventRecordID></Event>" };
            var target = new CollectingTarget();
            var watcher = new SyntheticRecordWatcher(Log(spec, 0));
            watcher.Start("Security", "", StartPosition.Beginning(), target);
            watcher.Stop();
            Assert.Equal(new long[] { 1, 2, 3, 5, 6, 7, 9, 10 }, target.Ids);
            Assert.Equal(new long[] { 4, 8 }, target.Skipped);
            Assert.Empty(target.Errors);
            Assert.DoesNotContain("</Event>", target.Xml[target.Ids.IndexOf(5)]);
            Assert.Equal(10, watcher.Visits);
        }

        [Fact]
        public void The_live_tail_delivers_records_as_they_are_written_until_stopped()
        {
            var spec = new SyntheticSpec { Backlog = 5, Rate = 500, StartUnixMs = (DateTime.UtcNow - SyntheticSpec.UnixEpoch).TotalMilliseconds };
            var watcher = new SyntheticRecordWatcher(new SyntheticLog(spec));
            var target = new CollectingTarget();
            watcher.Start("Security", "", StartPosition.Beginning(), target);
            var until = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < until)
            {
                lock (target.Ids) if (target.Ids.Count >= 50) break;
                System.Threading.Thread.Sleep(10);
            }
            watcher.Stop();
            long[] seen;
            lock (target.Ids) seen = target.Ids.ToArray();
            Assert.True(seen.Length >= 50, "only " + seen.Length + " records arrived");
            Assert.Equal(Enumerable.Range(1, seen.Length).Select(i => (long)i), seen);
            System.Threading.Thread.Sleep(100);
            lock (target.Ids) Assert.Equal(seen.Length, target.Ids.Count);
        }
    }
}
