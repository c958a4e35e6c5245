using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace WfpBlockAgent.Bridge.Tests
{
    public class RecordQueueTests
    {
        private static RawEvent Record(long id) => new RawEvent(id, "<Event>" + id + "</Event>");

        [Fact]
        public async Task HandsOutAFullBatchAtOnce()
        {
            var queue = new RecordQueue(100, -1, new AsyncSignal());
            for (var id = 1; id <= 25; id++) Assert.True(queue.Offer(Record(id)));
            var batch = await queue.TakeBatchAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), batch.Select(r => r.RecordId));
            Assert.Equal(15, queue.Count);
        }

        [Fact]
        public async Task WakesTheConsumerOnceABatchIsFullNotForEveryRecord()
        {
            // A wake-up per record cost a thread-pool hop per record (30% of a core at 2,000 records/s).
            var signal = new AsyncSignal();
            var queue = new RecordQueue(100, -1, signal);
            var take = queue.TakeBatchAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), CancellationToken.None);
            queue.Offer(Record(1));
            // The first record wakes it (its max-delay clock starts); wait until it waits for the batch to fill.
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (signal.Sets < 1 && DateTime.UtcNow < deadline) await Task.Delay(5);
            await Task.Delay(100);
            for (var id = 2; id <= 9; id++) queue.Offer(Record(id));
            Assert.Equal(1, signal.Sets);
            Assert.False(take.IsCompleted);
            queue.Offer(Record(10));
            Assert.Equal(2, signal.Sets);
            var batch = await take.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), batch.Select(r => r.RecordId));
        }

        [Fact]
        public async Task HandsOutAPartialBatchAfterMaxDelay()
        {
            var queue = new RecordQueue(100, -1, new AsyncSignal());
            queue.Offer(Record(7));
            var started = DateTime.UtcNow;
            var batch = await queue.TakeBatchAsync(10, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Single(batch);
            Assert.InRange((DateTime.UtcNow - started).TotalMilliseconds, 100, 5000);
        }

        [Fact]
        public async Task ReturnsEmptyWhenIdleOrCancelled()
        {
            var queue = new RecordQueue(100, -1, new AsyncSignal());
            Assert.Empty(await queue.TakeBatchAsync(10, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50), CancellationToken.None));
            using (var cts = new CancellationTokenSource(50))
            {
                Assert.Empty(await queue.TakeBatchAsync(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), cts.Token));
            }
        }

        [Fact]
        public void OverflowRejectsAndResumesAfterTheLastKeptRecord()
        {
            var queue = new RecordQueue(3, 100, new AsyncSignal());
            Assert.Equal(100, queue.ResumeAfter());
            Assert.True(queue.Offer(Record(101)));
            Assert.True(queue.Offer(Record(105)));
            Assert.True(queue.Offer(Record(110)));
            Assert.False(queue.Wants(111));
            Assert.True(queue.Overflowing);
            Assert.False(queue.Wants(112));
            Assert.Equal(110, queue.ResumeAfter());
            Assert.Equal(2, queue.RejectedTotal);
        }

        [Fact]
        public async Task ARecordRejectedOutOfOrderPullsTheResumePointBackAndPurgesLaterOnes()
        {
            // Handlers are not guaranteed serial: 109 may arrive after 110 was kept and the queue filled.
            var queue = new RecordQueue(3, 100, new AsyncSignal());
            queue.Offer(Record(101));
            queue.Offer(Record(105));
            queue.Offer(Record(110));
            Assert.False(queue.Offer(Record(109)));
            Assert.Equal(108, queue.ResumeAfter());
            Assert.Equal(2, queue.Count);
            queue.Reopen(108);
            Assert.False(queue.Overflowing);
            Assert.True(queue.Offer(Record(109)));
            Assert.Equal(109, queue.ResumeAfter());
            Assert.Equal(new long[] { 101, 105, 109 }, (await queue.TakeBatchAsync(10, TimeSpan.Zero, TimeSpan.Zero, default)).Select(r => r.RecordId));
        }

        [Fact]
        public async Task OverflowFlushesWhatIsQueuedWithoutWaitingForMaxDelay()
        {
            var queue = new RecordQueue(2, -1, new AsyncSignal());
            queue.Offer(Record(1));
            queue.Offer(Record(2));
            queue.Wants(3);
            var batch = await queue.TakeBatchAsync(10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal(2, batch.Count);
            Assert.Equal(2, queue.ResumeAfter());
        }

        [Fact]
        public async Task ResetNumberingForgetsThePositionButKeepsQueuedRecords()
        {
            var queue = new RecordQueue(10, 500, new AsyncSignal());
            queue.Offer(Record(501));
            queue.Offer(Record(502));
            queue.ResetNumbering();
            Assert.Equal(-1, queue.ResumeAfter());
            queue.Offer(Record(1));
            Assert.Equal(1, queue.ResumeAfter());
            var batch = await queue.TakeBatchAsync(10, TimeSpan.Zero, TimeSpan.FromMilliseconds(10), CancellationToken.None);
            Assert.Equal(new long[] { 501, 502, 1 }, batch.Select(r => r.RecordId));
        }
    }
}
