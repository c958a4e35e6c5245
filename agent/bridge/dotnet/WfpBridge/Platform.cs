// Picks the Windows implementations of the ports (net48) or says plainly that there are none.
using System;
using System.Collections.Generic;

namespace WfpBlockAgent.Bridge
{
    internal static class Platform
    {
        public static IRecordWatcher Watcher() =>
#if NETFRAMEWORK
            new Windows.EventLogRecordWatcher();
#else
            throw Unsupported();
#endif

        public static ILogInfoReader LogInfo() =>
#if NETFRAMEWORK
            new Windows.EventLogInfoReader();
#else
            throw Unsupported();
#endif

        public static IDictionary<string, string> DriveMap() =>
#if NETFRAMEWORK
            new Windows.DosDeviceMapReader().Read();
#else
            throw Unsupported();
#endif

#if !NETFRAMEWORK
        private static PlatformNotSupportedException Unsupported() =>
            new PlatformNotSupportedException("The live event-log bridge needs Windows (the net48 build).");
#endif
    }
}
