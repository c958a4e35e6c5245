// Capped exponential backoff with jitter for resubscribing after a channel error.
using System;

namespace WfpBlockAgent.Bridge
{
    public sealed class Backoff
    {
        private readonly TimeSpan _initial;
        private readonly TimeSpan _max;
        private readonly Func<double> _random;
        private int _attempt;

        public Backoff(TimeSpan initial, TimeSpan max, Func<double> random = null)
        {
            if (initial <= TimeSpan.Zero || max < initial) throw new ArgumentException("Need 0 < initial <= max.");
            _initial = initial;
            _max = max;
            _random = random ?? new Random().NextDouble;
        }

        /// <summary>initial * 2^attempt, capped, with ±20 % jitter (never above the cap).</summary>
        public TimeSpan Next()
        {
            var baseMs = Math.Min(_max.TotalMilliseconds, _initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
            _attempt++;
            var jittered = baseMs * (0.8 + 0.4 * _random());
            return TimeSpan.FromMilliseconds(Math.Min(_max.TotalMilliseconds, jittered));
        }

        public void Reset() => _attempt = 0;
    }
}
