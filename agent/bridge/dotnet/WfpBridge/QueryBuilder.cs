// Builds the structured query for the watcher. One XPath may name only about 22 event ids, so the ids are
// split into several <Select> elements of one <QueryList> (one subscription, several selects).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security;
using System.Text;

namespace WfpBlockAgent.Bridge
{
    public static class QueryBuilder
    {
        /// <summary>Ids per XPath; Windows rejects an expression with more than about 22 (error 15001).</summary>
        public const int MaxIdsPerSelect = 20;

        public static IReadOnlyList<string> XPaths(IEnumerable<int> eventIds, DateTime? sinceUtc)
        {
            var ids = eventIds.Distinct().OrderBy(id => id).ToList();
            if (ids.Count == 0) throw new ArgumentException("At least one event id is needed.", nameof(eventIds));
            if (ids.Any(id => id < 0 || id > 65535)) throw new ArgumentException("Event ids are 0..65535.", nameof(eventIds));
            var time = sinceUtc.HasValue
                ? " and TimeCreated[@SystemTime>='" +
                  sinceUtc.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "']"
                : "";
            var result = new List<string>();
            for (var i = 0; i < ids.Count; i += MaxIdsPerSelect)
            {
                var chunk = ids.Skip(i).Take(MaxIdsPerSelect)
                    .Select(id => "EventID=" + id.ToString(CultureInfo.InvariantCulture));
                result.Add("*[System[(" + string.Join(" or ", chunk) + ")" + time + "]]");
            }
            return result;
        }

        public static string QueryList(string channel, IEnumerable<int> eventIds, DateTime? sinceUtc)
        {
            var path = SecurityElement.Escape(channel);
            var sb = new StringBuilder();
            sb.Append("<QueryList><Query Id='0' Path='").Append(path).Append("'>");
            foreach (var xpath in XPaths(eventIds, sinceUtc))
            {
                sb.Append("<Select Path='").Append(path).Append("'>").Append(SecurityElement.Escape(xpath)).Append("</Select>");
            }
            sb.Append("</Query></QueryList>");
            return sb.ToString();
        }
    }
}
