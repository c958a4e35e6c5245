// EventBookmark has no public constructor from bookmark XML. Its protected serialization constructor reads the
// text from the "BookmarkText" entry (reference source, System.Core 4.8), so a subclass can build one.
using System.Diagnostics.Eventing.Reader;
using System.Runtime.Serialization;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class XmlEventBookmark : EventBookmark
    {
        private XmlEventBookmark(SerializationInfo info, StreamingContext context) : base(info, context)
        {
        }

        public static EventBookmark Create(string bookmarkXml)
        {
            var info = new SerializationInfo(typeof(EventBookmark), new FormatterConverter());
            info.AddValue("BookmarkText", bookmarkXml);
            return new XmlEventBookmark(info, new StreamingContext(StreamingContextStates.All));
        }
    }
}
