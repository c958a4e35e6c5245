// One record as the watcher handler copied it: the channel-wide record id and the event XML. Nothing else
// crosses from the EventRecord (which the handler disposes at once).
namespace WfpBlockAgent.Bridge
{
    public readonly struct RawEvent
    {
        public RawEvent(long recordId, string xml)
        {
            RecordId = recordId;
            Xml = xml;
        }

        public long RecordId { get; }
        public string Xml { get; }
    }
}
