using System;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    public class BookmarkXmlTests
    {
        [Fact]
        public void WritesTheBookmarkWindowsResumesAfter()
        {
            Assert.Equal(
                "<BookmarkList><Bookmark Channel='Security' RecordId='123456789012' IsCurrent='true'/></BookmarkList>",
                BookmarkXml.For("Security", 123456789012));
        }
    }

    public class QueryBuilderTests
    {
        private static readonly int[] DefaultIds = { 5031, 5150, 5151, 5152, 5153, 5155, 5157, 5159, 5441, 5447, 4719, 1102 };

        [Fact]
        public void PutsTheDefaultIdsInOneSelect()
        {
            var xpaths = QueryBuilder.XPaths(DefaultIds, null);
            Assert.Single(xpaths);
            Assert.Equal(
                "*[System[(EventID=1102 or EventID=4719 or EventID=5031 or EventID=5150 or EventID=5151 or EventID=5152 or " +
                "EventID=5153 or EventID=5155 or EventID=5157 or EventID=5159 or EventID=5441 or EventID=5447)]]",
                xpaths[0]);
        }

        [Fact]
        public void SplitsPastTheLimitAndKeepsEveryIdOnce()
        {
            var ids = Enumerable.Range(5000, 45).Concat(new[] { 5001, 5002 }).ToArray();
            var xpaths = QueryBuilder.XPaths(ids, null);
            Assert.Equal(3, xpaths.Count);
            var seen = xpaths.SelectMany(x => x.Split(new[] { "EventID=" }, StringSplitOptions.None).Skip(1))
                .Select(part => int.Parse(new string(part.TakeWhile(char.IsDigit).ToArray()))).ToList();
            Assert.Equal(Enumerable.Range(5000, 45), seen);
            Assert.All(xpaths, x => Assert.True(x.Split(new[] { "EventID=" }, StringSplitOptions.None).Length - 1 <= QueryBuilder.MaxIdsPerSelect));
        }

        [Fact]
        public void AddsTheTimeFilterToEverySelect()
        {
            var since = new DateTime(2026, 11, 27, 10, 0, 0, 250, DateTimeKind.Utc);
            var xpaths = QueryBuilder.XPaths(Enumerable.Range(1, 30), since);
            Assert.Equal(2, xpaths.Count);
            Assert.All(xpaths, x => Assert.EndsWith(" and TimeCreated[@SystemTime>='2026-11-27T10:00:00.250Z']]]", x));
        }

        [Fact]
        public void BuildsAWellFormedQueryListWithOneSelectPerChunk()
        {
            var since = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
            var xml = QueryBuilder.QueryList("Security", Enumerable.Range(5100, 25), since);
            var doc = XDocument.Parse(xml);
            var query = doc.Root.Element("Query");
            Assert.Equal("Security", (string)query.Attribute("Path"));
            var selects = query.Elements("Select").ToList();
            Assert.Equal(2, selects.Count);
            Assert.Equal(QueryBuilder.XPaths(Enumerable.Range(5100, 25), since), selects.Select(s => s.Value).ToList());
        }

        [Fact]
        public void RefusesAnEmptyOrInvalidIdList()
        {
            Assert.Throws<ArgumentException>(() => QueryBuilder.XPaths(Array.Empty<int>(), null));
            Assert.Throws<ArgumentException>(() => QueryBuilder.XPaths(new[] { -1 }, null));
        }
    }

    public class BackoffTests
    {
        [Fact]
        public void DoublesUpToTheCapWithBoundedJitter()
        {
            var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), () => 0.5);
            var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToArray();
            Assert.Equal(new double[] { 100, 200, 400, 800, 1000, 1000 }, delays);
            backoff.Reset();
            Assert.Equal(100, backoff.Next().TotalMilliseconds);
            var high = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), () => 0.999);
            Assert.InRange(high.Next().TotalMilliseconds, 119, 120);
        }
    }
}
