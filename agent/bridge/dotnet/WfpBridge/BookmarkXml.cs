// The bookmark text Windows uses for "after this record" (EvtCreateBookmark accepts it back).
using System.Globalization;
using System.Security;

namespace WfpBlockAgent.Bridge
{
    public static class BookmarkXml
    {
        public static string For(string channel, long recordId) =>
            "<BookmarkList><Bookmark Channel='" + SecurityElement.Escape(channel) + "' RecordId='" +
            recordId.ToString(CultureInfo.InvariantCulture) + "' IsCurrent='true'/></BookmarkList>";
    }
}
