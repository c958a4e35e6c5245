using System;
using System.Globalization;
using System.Text;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// The agent's output as lines in a size-capped log: `path` grows to at most MaxBytes, then becomes path.1
    /// (path.1 becomes path.2, ..., the oldest of Files is deleted), so the folder never holds more than
    /// Files × MaxBytes. Each line is stamped with UTC time and the stream it came from. Thread-safe (stdout and
    /// stderr arrive on different threads). A failing disk loses log lines, never stops the service.
    /// </summary>
    public sealed class RotatingLogFile
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(false);
        private readonly object gate = new object();
        private readonly IFileSystem fs;
        private readonly IClock clock;
        private long size = -1;

        public RotatingLogFile(IFileSystem fs, IClock clock, string path, long maxBytes, int files)
        {
            if (maxBytes < 1024) throw new ArgumentException("maxBytes: at least 1024");
            if (files < 1) throw new ArgumentException("files: at least 1");
            this.fs = fs;
            this.clock = clock;
            Path = path;
            MaxBytes = maxBytes;
            Files = files;
        }

        public string Path { get; }
        public long MaxBytes { get; }
        public int Files { get; }
        /// <summary>Lines that could not be written (disk full, folder removed ...).</summary>
        public long LostLines { get; private set; }

        public string RotatedPath(int index) => index == 0 ? Path : Path + "." + index.ToString(CultureInfo.InvariantCulture);

        public void WriteLine(string stream, string line)
        {
            var text = clock.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " [" + stream + "] " + line + "\r\n";
            var bytes = Utf8.GetBytes(text);
            // One line longer than the cap is cut rather than dropped: the head of a long stack trace still helps.
            if (bytes.Length > MaxBytes) bytes = Utf8.GetBytes(text.Substring(0, (int)Math.Min(text.Length, MaxBytes / 4)) + "...\r\n");
            lock (gate)
            {
                try
                {
                    if (size < 0) size = fs.Length(Path);
                    if (size > 0 && size + bytes.Length > MaxBytes && !TryRotate() && size + bytes.Length > 2 * MaxBytes)
                    {
                        // Rotation keeps failing (a reader holds the file without delete sharing): the file may grow
                        // to twice the cap meanwhile, then lines are dropped until a rotation works.
                        LostLines++;
                        return;
                    }
                    fs.Append(Path, bytes);
                    size += bytes.Length;
                }
                catch (Exception)
                {
                    LostLines++;
                    size = -1;
                }
            }
        }

        private bool TryRotate()
        {
            try
            {
                Rotate();
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void Rotate()
        {
            if (Files == 1)
            {
                fs.Delete(Path);
            }
            else
            {
                var oldest = RotatedPath(Files - 1);
                if (fs.Exists(oldest)) fs.Delete(oldest);
                for (var i = Files - 2; i >= 0; i--)
                {
                    var from = RotatedPath(i);
                    if (fs.Exists(from)) fs.Move(from, RotatedPath(i + 1));
                }
            }
            size = 0;
        }
    }
}
