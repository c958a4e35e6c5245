using System;
using System.Threading.Tasks;

namespace WfpBlockAgent.Bridge.Tests
{
    /// <summary>What the BridgeSession tests share: quick options and a bounded wait.</summary>
    internal static class SessionTestKit
    {
        /// <summary>Batches of `batch` within 20 ms, backoff 10–40 ms, a 2-s stop; the start and queue as given.</summary>
        public static BridgeOptions Options(StartPosition start, int[] eventIds, int batch = 50, int queue = 200, int resumeBelow = 50) => new BridgeOptions
        {
            EventIds = eventIds,
            Start = start,
            BatchSize = batch,
            MaxDelay = TimeSpan.FromMilliseconds(20),
            QueueBound = queue,
            ResumeBelow = resumeBelow,
            BackoffInitial = TimeSpan.FromMilliseconds(10),
            BackoffMax = TimeSpan.FromMilliseconds(40),
            StopTimeout = TimeSpan.FromMilliseconds(2000),
        };

        /// <summary>Polls every 10 ms; a TimeoutException (with `describe`'s text when given) after `seconds`.</summary>
        public static async Task WaitFor(Func<bool> condition, Func<string> describe = null, int seconds = 20)
        {
            var until = DateTime.UtcNow.AddSeconds(seconds);
            while (!condition())
            {
                if (DateTime.UtcNow > until) throw new TimeoutException(describe == null ? "Condition not reached." : "Condition not reached: " + describe());
                await Task.Delay(10);
            }
        }
    }
}
