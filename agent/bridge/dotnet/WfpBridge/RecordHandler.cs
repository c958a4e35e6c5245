// What a watcher does with one record, shared by the Windows watcher and the synthetic one so the rules are
// tested on Linux. Nothing escapes: an exception on EventLogWatcher's callback thread ends node.exe on .NET
// Framework, and the framework's error mapping throws more than EventLogException (UnauthorizedAccessException
// for code 5, OperationCanceledException for 1223, ...).
//
//   read id ──fails──► Fail (channel error: resubscribe)
//   Wants(id) ──false──► done (stopping; the record stays in the log)
//   render ──fails──► Skip (this record only: counted, reading goes on; retrying would hit it forever)
//   Offer
using System;

namespace WfpBlockAgent.Bridge
{
    public static class RecordHandler
    {
        public static void Handle(Func<long> readId, Func<string> render, IRecordTarget target)
        {
            long id;
            try
            {
                id = readId();
            }
            catch (Exception error)
            {
                SafeFail(target, error);
                return;
            }
            if (id < 0)
            {
                SafeSkip(target, id, new InvalidOperationException("The record has no record id."));
                return;
            }
            try
            {
                if (!target.Wants(id)) return;
            }
            catch (Exception error)
            {
                SafeFail(target, error);
                return;
            }
            string xml;
            try
            {
                xml = render();
            }
            catch (Exception error)
            {
                SafeSkip(target, id, error);
                return;
            }
            try
            {
                target.Offer(new RawEvent(id, xml));
            }
            catch (Exception error)
            {
                SafeFail(target, error);
            }
        }

        private static void SafeSkip(IRecordTarget target, long id, Exception error)
        {
            try
            {
                target.Skip(id, error);
            }
            catch (Exception)
            {
                // Counting must not throw into the framework either.
            }
        }

        public static void SafeFail(IRecordTarget target, Exception error)
        {
            try
            {
                target.Fail(error);
            }
            catch (Exception)
            {
                // Nothing may escape the handler.
            }
        }
    }
}
