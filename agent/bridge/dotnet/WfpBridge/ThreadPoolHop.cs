// `await ThreadPoolHop.Instance` always continues on a thread-pool thread. The session awaits it after every
// wait another thread may complete: edge-js completes JS answers on Node's thread, and a continuation that ran
// inline there would stop, start or query the watcher on Node's thread, which must never happen.
using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace WfpBlockAgent.Bridge
{
    public readonly struct ThreadPoolHop : INotifyCompletion
    {
        public static ThreadPoolHop Instance => default;

        public ThreadPoolHop GetAwaiter() => this;

        public bool IsCompleted => false;

        public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(_ => continuation());

        public void GetResult()
        {
        }
    }
}
