// An auto-reset wake-up that async code can await with a timeout. Waiters re-check their state after every
// wake-up, so coalescing several Set() calls into one permit loses nothing.
using System;
using System.Threading;
using System.Threading.Tasks;

namespace WfpBlockAgent.Bridge
{
    public sealed class AsyncSignal
    {
        private readonly SemaphoreSlim _semaphore = new SemaphoreSlim(0, 1);
        private int _set;
        private long _sets;

        /// <summary>Set() calls so far (tests: how often a waiter is woken).</summary>
        public long Sets => Interlocked.Read(ref _sets);

        public void Set()
        {
            Interlocked.Increment(ref _sets);
            if (Interlocked.Exchange(ref _set, 1) == 0) _semaphore.Release();
        }

        /// <summary>True when set, false on timeout or cancellation (never throws for cancellation).</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken token)
        {
            if (timeout < TimeSpan.Zero) timeout = TimeSpan.Zero;
            bool signalled;
            try
            {
                signalled = await _semaphore.WaitAsync(timeout, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                signalled = false;
            }
            if (signalled) Interlocked.Exchange(ref _set, 0);
            // Set() may have run this continuation inline on the setter's thread (Node's, via a JS answer).
            await ThreadPoolHop.Instance;
            return signalled;
        }
    }
}
