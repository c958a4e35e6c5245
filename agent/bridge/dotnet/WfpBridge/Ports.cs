// The Windows-facing ports of the bridge. Windows/ implements them with EventLogWatcher, EventLogInformation
// and QueryDosDevice (net48 only); the xunit tests implement them in memory.
using System;
using System.Collections.Generic;

namespace WfpBlockAgent.Bridge
{
    /// <summary>Receives what a subscription delivers. Called on the watcher's threads, possibly concurrently.</summary>
    public interface IRecordTarget
    {
        /// <summary>
        /// Blocks while the queue is full (the backpressure: the watcher's walk waits instead of being restarted);
        /// false when the record will not be kept (stopping): skip rendering it, it stays in the log.
        /// </summary>
        bool Wants(long recordId);
        void Offer(RawEvent record);
        /// <summary>This record cannot be rendered: it is skipped and counted, reading goes on.</summary>
        void Skip(long recordId, Exception error);
        /// <summary>A channel error: the session stops the subscription and resubscribes after a backoff.</summary>
        void Fail(Exception error);
    }

    /// <summary>One subscription at a time. Start and Stop are called on thread-pool threads, never on Node's.</summary>
    public interface IRecordWatcher
    {
        /// <summary>Subscribes and returns once the backlog was delivered; throws when the channel refuses.</summary>
        void Start(string channel, string queryXml, StartPosition start, IRecordTarget target);

        /// <summary>Stops and releases the subscription; idempotent.</summary>
        void Stop();
    }

    public sealed class LogInfo
    {
        public long OldestRecordId { get; set; } = -1;
        public long NewestRecordId { get; set; } = -1;
        public long RecordCount { get; set; }
        public long FileSizeBytes { get; set; } = -1;
        public long MaxSizeBytes { get; set; } = -1;
        /// <summary>overwrite | archive | keep | unknown (EventLogConfiguration.LogMode).</summary>
        public string Retention { get; set; } = "unknown";
        public bool IsFull { get; set; }
        public string LastWriteUtc { get; set; } = "";
    }

    public interface ILogInfoReader
    {
        LogInfo Read(string channel);
    }

    public interface IDriveMapReader
    {
        /// <summary>Drive letter ("C:") to NT device path ("\Device\HarddiskVolume3").</summary>
        IDictionary<string, string> Read();
    }
}
