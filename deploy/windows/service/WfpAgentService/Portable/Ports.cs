using System;
using System.Collections.Generic;

namespace WfpBlockAgent.Service
{
    // The host's edges, injected so everything that is not the SCM or Win32 runs in tests on Linux.

    /// <summary>Wall time for log lines, monotonic time for durations.</summary>
    public interface IClock
    {
        DateTime UtcNow { get; }
        /// <summary>Monotonic: time since some fixed start; never goes back.</summary>
        TimeSpan Elapsed { get; }
    }

    /// <summary>The few file operations the rotating log needs.</summary>
    public interface IFileSystem
    {
        /// <summary>0 when the file does not exist.</summary>
        long Length(string path);
        bool Exists(string path);
        void Append(string path, byte[] bytes);
        void Move(string from, string to);
        void Delete(string path);
        void CreateDirectory(string path);
    }

    public enum EventLevel
    {
        Information,
        Warning,
        Error,
    }

    /// <summary>The Application event log under the host's own source (Windows), or a recorder in tests.</summary>
    public interface IEventLogWriter
    {
        void Write(EventLevel level, int eventId, string message);
    }

    /// <summary>What to start: an executable, its command line (Windows quoting) and its environment changes.</summary>
    public sealed class AgentStart
    {
        public string FileName { get; set; }
        /// <summary>The arguments as one Windows command-line string (see WindowsCommandLine).</summary>
        public string Arguments { get; set; }
        public string WorkingDirectory { get; set; }
        /// <summary>Variables to set (value) or remove (null) in the child's environment.</summary>
        public IDictionary<string, string> Environment { get; } = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        /// <summary>Variables whose name starts with one of these are removed (EDGE_: edge-js obeys them).</summary>
        public IList<string> RemovePrefixes { get; } = new List<string>();
    }

    /// <summary>A started agent process.</summary>
    public interface IAgentProcess : IDisposable
    {
        int Id { get; }
        /// <summary>Closes the child's standard input: with --stop-on-stdin-eof that is the stop request.</summary>
        void CloseInput();
        /// <summary>True when the process exited within the time (its output is then fully read).</summary>
        bool WaitForExit(TimeSpan timeout);
        int ExitCode { get; }
        /// <summary>Ends the process at once (and, on Windows, everything in its Job Object).</summary>
        void Kill();
    }

    public interface IProcessStarter
    {
        /// <summary>Starts the process; each line of its stdout and stderr goes to the callbacks (any thread).</summary>
        IAgentProcess Start(AgentStart start, Action<string> onStdout, Action<string> onStderr);
    }
}
