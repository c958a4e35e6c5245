// What the bridge sends to JS through the edge-js callback. Plain types only: string, double, bool,
// object[] and Dictionary<string, object> (long would arrive as a string on .NET Framework for large values;
// record ids fit a double exactly up to 2^53).
using System.Collections.Generic;
using System.Linq;

namespace WfpBlockAgent.Bridge
{
    public static class Messages
    {
        public static Dictionary<string, object> Records(IReadOnlyList<RawEvent> batch, long newestRecordId) =>
            new Dictionary<string, object>
            {
                ["type"] = "records",
                ["recordIds"] = batch.Select(r => (object)(double)r.RecordId).ToArray(),
                ["xml"] = batch.Select(r => (object)r.Xml).ToArray(),
                ["newestRecordId"] = (double)newestRecordId,
            };

        /// <param name="state">subscribing | paused | error | skipped (resumeAfter: the record id) | restarted</param>
        public static Dictionary<string, object> Status(string state, string detail, long resumeAfter, LogInfo log) =>
            new Dictionary<string, object>
            {
                ["type"] = "status",
                ["state"] = state,
                ["detail"] = detail,
                ["resumeAfter"] = (double)resumeAfter,
                ["log"] = log == null ? null : Log(log),
            };

        public static Dictionary<string, object> Log(LogInfo log) =>
            new Dictionary<string, object>
            {
                ["oldestRecordId"] = (double)log.OldestRecordId,
                ["newestRecordId"] = (double)log.NewestRecordId,
                ["recordCount"] = (double)log.RecordCount,
                ["fileSizeBytes"] = (double)log.FileSizeBytes,
                ["maxSizeBytes"] = (double)log.MaxSizeBytes,
                ["retention"] = log.Retention,
                ["isFull"] = log.IsFull,
                ["lastWriteUtc"] = log.LastWriteUtc,
            };

        /// <summary>True when JS answered { stop: true }.</summary>
        public static bool AnswerSaysStop(object answer) =>
            answer is IDictionary<string, object> d && d.TryGetValue("stop", out var stop) && stop is bool b && b;
    }
}
