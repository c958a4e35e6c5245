using System;
using System.Diagnostics;

namespace WfpBlockAgent.Service.Windows
{
    /// <summary>The Application log under the source install-finish registers. A failed write never stops the service.</summary>
    internal sealed class WindowsEventLogWriter : IEventLogWriter
    {
        // EventLog.WriteEntry refuses messages above 31,839 characters.
        private const int MaxMessage = 31000;

        public void Write(EventLevel level, int eventId, string message)
        {
            var type = level == EventLevel.Error ? EventLogEntryType.Error : level == EventLevel.Warning ? EventLogEntryType.Warning : EventLogEntryType.Information;
            try
            {
                EventLog.WriteEntry(InstallLayout.EventSource, message.Length > MaxMessage ? message.Substring(0, MaxMessage) + "..." : message, type, eventId);
            }
            catch (Exception)
            {
                // No source yet (install-finish did not run) or the log is full: the rotating log file still has it.
            }
        }
    }
}
