// Where a subscription starts. JS resolves "checkpoint" and "end" to After(N) before it calls the bridge, so
// the bridge knows only three modes.
using System;

namespace WfpBlockAgent.Bridge
{
    public enum StartMode
    {
        /// <summary>Resume after a record id (bookmark).</summary>
        After,
        /// <summary>Everything still in the log.</summary>
        Beginning,
        /// <summary>Everything created at or after a UTC time.</summary>
        Since,
    }

    public sealed class StartPosition
    {
        private StartPosition(StartMode mode, long recordId, DateTime sinceUtc)
        {
            Mode = mode;
            RecordId = recordId;
            SinceUtc = sinceUtc;
        }

        public StartMode Mode { get; }
        public long RecordId { get; }
        public DateTime SinceUtc { get; }

        public static StartPosition After(long recordId)
        {
            if (recordId < 0) throw new ArgumentOutOfRangeException(nameof(recordId), "A record id is never negative.");
            return new StartPosition(StartMode.After, recordId, default);
        }

        public static StartPosition Beginning() => new StartPosition(StartMode.Beginning, 0, default);

        public static StartPosition Since(DateTime utc) =>
            new StartPosition(StartMode.Since, 0, DateTime.SpecifyKind(utc.ToUniversalTime(), DateTimeKind.Utc));

        public override string ToString() => Mode switch
        {
            StartMode.After => "after record " + RecordId,
            StartMode.Beginning => "the beginning of the log",
            _ => "events since " + SinceUtc.ToString("o"),
        };
    }
}
