using System;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// When to start the agent again after it exited on its own: the first restart after Initial, doubling on each
    /// exit that follows a short run, up to Max; a run that lasted HealthyRun resets the sequence (an agent that
    /// ran for hours and then crashed restarts quickly again). Never gives up: the SCM recovery actions cover a
    /// crash of the host itself, and each exit is in the event log.
    /// </summary>
    public sealed class RestartPolicy
    {
        private int failures;

        public RestartPolicy(TimeSpan initial, TimeSpan max, TimeSpan healthyRun)
        {
            if (initial <= TimeSpan.Zero || max < initial) throw new ArgumentException("restart delays: need 0 < initial <= max");
            Initial = initial;
            Max = max;
            HealthyRun = healthyRun;
        }

        public static RestartPolicy Default() => new RestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5));

        public TimeSpan Initial { get; }
        public TimeSpan Max { get; }
        public TimeSpan HealthyRun { get; }

        /// <summary>Exits in a row after short runs (0 after a healthy one).</summary>
        public int ConsecutiveFailures => failures;

        /// <summary>The wait before the next start, given how long the run that just ended lasted.</summary>
        public TimeSpan NextDelay(TimeSpan runDuration)
        {
            if (runDuration >= HealthyRun) failures = 0;
            var ticks = Initial.Ticks;
            for (var i = 0; i < failures && ticks < Max.Ticks; i++) ticks *= 2;
            failures++;
            return TimeSpan.FromTicks(Math.Min(ticks, Max.Ticks));
        }
    }
}
