// Oldest/newest record numbers, size and retention of a channel (net48 only).
using System;
using System.Diagnostics.Eventing.Reader;
using System.Globalization;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class EventLogInfoReader : ILogInfoReader
    {
        public LogInfo Read(string channel)
        {
            using (var session = new EventLogSession())
            using (var config = new EventLogConfiguration(channel, session))
            {
                var info = session.GetLogInformation(channel, PathType.LogName);
                var oldest = info.OldestRecordNumber ?? -1;
                var count = info.RecordCount ?? 0;
                return new LogInfo
                {
                    OldestRecordId = count == 0 ? -1 : oldest,
                    NewestRecordId = count == 0 || oldest < 0 ? -1 : oldest + count - 1,
                    RecordCount = count,
                    FileSizeBytes = info.FileSize ?? -1,
                    MaxSizeBytes = config.MaximumSizeInBytes,
                    Retention = Retention(config.LogMode),
                    IsFull = info.IsLogFull ?? false,
                    LastWriteUtc = info.LastWriteTime.HasValue
                        ? info.LastWriteTime.Value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture)
                        : "",
                };
            }
        }

        private static string Retention(EventLogMode mode)
        {
            switch (mode)
            {
                case EventLogMode.Circular: return "overwrite";
                case EventLogMode.AutoBackup: return "archive";
                case EventLogMode.Retain: return "keep";
                default: return "unknown";
            }
        }
    }
}
