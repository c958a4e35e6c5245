using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace WfpBlockAgent.Service
{
    public sealed class SystemClock : IClock
    {
        private readonly Stopwatch watch = Stopwatch.StartNew();
        public DateTime UtcNow => DateTime.UtcNow;
        public TimeSpan Elapsed => watch.Elapsed;
    }

    public sealed class RealFileSystem : IFileSystem
    {
        public long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        public bool Exists(string path) => File.Exists(path);

        public void Append(string path, byte[] bytes)
        {
            // Opened per line and shared for reading, so an admin can tail the file and rotation can move it.
            using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                stream.Write(bytes, 0, bytes.Length);
        }

        public void Move(string from, string to) => File.Move(from, to);
        public void Delete(string path) => File.Delete(path);
        public void CreateDirectory(string path) => Directory.CreateDirectory(path);
    }

    /// <summary>Starts the agent with System.Diagnostics.Process: stdin a pipe, stdout and stderr read line by line.</summary>
    public sealed class SystemProcessStarter : IProcessStarter
    {
        private readonly Action<Process> adopt;

        /// <param name="adopt">Called right after the start (Windows: put the process in the Job Object).</param>
        public SystemProcessStarter(Action<Process> adopt = null)
        {
            this.adopt = adopt;
        }

        public IAgentProcess Start(AgentStart start, Action<string> onStdout, Action<string> onStderr)
        {
            var info = new ProcessStartInfo(start.FileName, start.Arguments)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = start.WorkingDirectory ?? "",
            };
            var names = info.Environment.Keys.Cast<string>().ToList();
            foreach (var name in names)
                if (start.RemovePrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))) info.Environment.Remove(name);
            foreach (var pair in start.Environment)
            {
                if (pair.Value == null) info.Environment.Remove(pair.Key);
                else info.Environment[pair.Key] = pair.Value;
            }
            var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) onStdout(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) onStderr(e.Data); };
            process.Start();
            try
            {
                adopt?.Invoke(process);
            }
            catch (Exception)
            {
                // Without its Job Object the child could outlive the host: refuse to run it that way.
                try { process.Kill(); } catch (Exception) { /* gone already */ }
                process.Dispose();
                throw;
            }
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new SystemAgentProcess(process);
        }
    }

    internal sealed class SystemAgentProcess : IAgentProcess
    {
        private readonly Process process;

        public SystemAgentProcess(Process process)
        {
            this.process = process;
        }

        public int Id => process.Id;
        public int ExitCode => process.ExitCode;

        public void CloseInput() => process.StandardInput.Close();

        public bool WaitForExit(TimeSpan timeout)
        {
            var ms = timeout == System.Threading.Timeout.InfiniteTimeSpan ? -1 : (int)Math.Min(int.MaxValue, Math.Max(0, timeout.TotalMilliseconds));
            if (!process.WaitForExit(ms)) return false;
            // The timed wait does not wait for the output readers; the untimed one does (its last lines matter).
            process.WaitForExit();
            return true;
        }

        public void Kill() => process.Kill();

        public void Dispose() => process.Dispose();
    }
}
