using System;
using System.Threading;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>
    /// A synthetic log's clock that stands still at Start until Release(), then runs in real time: the test decides
    /// when the log starts writing (a fixed head start loses races on a loaded machine).
    /// </summary>
    internal sealed class HeldClock
    {
        private long _releasedAtTicks;

        public double Start { get; } = (DateTime.UtcNow - SyntheticSpec.UnixEpoch).TotalMilliseconds;

        public void Release() => Volatile.Write(ref _releasedAtTicks, DateTime.UtcNow.Ticks);

        public double Now()
        {
            var released = Volatile.Read(ref _releasedAtTicks);
            return released == 0 ? Start : Start + (DateTime.UtcNow.Ticks - released) / (double)TimeSpan.TicksPerMillisecond;
        }
    }
}
