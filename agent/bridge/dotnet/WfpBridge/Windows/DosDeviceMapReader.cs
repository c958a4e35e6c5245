// Drive letters to NT device paths with QueryDosDevice, for mapping \Device\HarddiskVolumeN\... application
// paths in 5157/5152 events back to C:\... (net48 only).
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace WfpBlockAgent.Bridge.Windows
{
    internal sealed class DosDeviceMapReader : IDriveMapReader
    {
        // https://learn.microsoft.com/windows/win32/api/fileapi/nf-fileapi-querydosdevicew
        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern uint QueryDosDevice(string lpDeviceName, char[] lpTargetPath, uint ucchMax);

        public IDictionary<string, string> Read()
        {
            var map = new Dictionary<string, string>();
            var buffer = new char[1024];
            for (var letter = 'A'; letter <= 'Z'; letter++)
            {
                var drive = letter + ":";
                var length = QueryDosDevice(drive, buffer, (uint)buffer.Length);
                if (length == 0) continue;
                // The answer is a list of NUL-terminated strings; the first is the current mapping.
                var end = System.Array.IndexOf(buffer, '\0');
                map[drive] = new string(buffer, 0, end < 0 ? (int)length : end);
            }
            return map;
        }
    }
}
