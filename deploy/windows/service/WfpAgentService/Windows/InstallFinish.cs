using System;
using System.Diagnostics;
using System.IO;
using System.Security.AccessControl;
using System.Security.Principal;

namespace WfpBlockAgent.Service.Windows
{
    /// <summary>
    /// `install-finish` (MSI deferred custom action, elevated, idempotent): recovery actions and delayed start via
    /// sc.exe, the event-log source, the protected DACL on the data folder. `purge` (uninstall with PURGE=1):
    /// removes the data folder and the event-log source. Windows only; on paper here.
    /// </summary>
    internal static class InstallFinish
    {
        public static int Run(InstallLayout layout, TextWriter output)
        {
            var failed = false;
            foreach (var command in InstallFinishPlan.ScCommands(InstallLayout.ServiceName))
            {
                var code = RunSc(command, output);
                if (code != 0)
                {
                    output.WriteLine($"install-finish: sc.exe {command.CommandLine} ({command.Why}) failed with exit code {code}.");
                    failed = true;
                }
            }
            try
            {
                if (!EventLog.SourceExists(InstallLayout.EventSource))
                    EventLog.CreateEventSource(new EventSourceCreationData(InstallLayout.EventSource, "Application"));
                output.WriteLine($"install-finish: event-log source '{InstallLayout.EventSource}' in the Application log.");
            }
            catch (Exception e)
            {
                output.WriteLine($"install-finish: cannot register the event-log source: {e.Message}");
                failed = true;
            }
            try
            {
                ProtectDataDir(layout.DataDir);
                output.WriteLine($"install-finish: {layout.DataDir}: protected DACL (SYSTEM, Administrators: full control; inheritance broken).");
            }
            catch (Exception e)
            {
                output.WriteLine($"install-finish: cannot protect {layout.DataDir}: {e.Message}");
                failed = true;
            }
            return failed ? 1 : 0;
        }

        public static int Purge(InstallLayout layout, TextWriter output)
        {
            var failed = false;
            try
            {
                if (Directory.Exists(layout.DataDir)) Directory.Delete(layout.DataDir, true);
                output.WriteLine($"purge: removed {layout.DataDir}.");
            }
            catch (Exception e)
            {
                output.WriteLine($"purge: cannot remove {layout.DataDir}: {e.Message}");
                failed = true;
            }
            try
            {
                if (EventLog.SourceExists(InstallLayout.EventSource)) EventLog.DeleteEventSource(InstallLayout.EventSource);
            }
            catch (Exception e)
            {
                output.WriteLine($"purge: cannot remove the event-log source: {e.Message}");
                failed = true;
            }
            return failed ? 1 : 0;
        }

        /// <summary>
        /// Owner Administrators; DACL protected (nothing inherited from %ProgramData%, where Users may read and
        /// create) with full control for SYSTEM and Administrators on the folder and everything below. Setting a
        /// protected DACL on the folder makes Windows re-propagate the inheritable entries to existing children.
        /// </summary>
        private static void ProtectDataDir(string path)
        {
            var info = new DirectoryInfo(path);
            if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0)
                throw new InvalidOperationException($"{path} is a junction or symbolic link; refusing to protect where it points. Remove it and install again.");
            if (!info.Exists) info.Create();
            var security = new DirectorySecurity();
            security.SetOwner(new SecurityIdentifier(InstallFinishPlan.AdministratorsSid));
            security.SetAccessRuleProtection(true, false);
            foreach (var grant in InstallFinishPlan.DataDirGrants)
            {
                security.AddAccessRule(new FileSystemAccessRule(
                    new SecurityIdentifier(grant.Sid),
                    FileSystemRights.FullControl,
                    InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit,
                    PropagationFlags.None,
                    AccessControlType.Allow));
            }
            info.SetAccessControl(security);
        }

        private static int RunSc(ScCommand command, TextWriter output)
        {
            // By full path: an elevated custom action must not find sc.exe through PATH.
            var sc = Path.Combine(Environment.SystemDirectory, "sc.exe");
            var info = new ProcessStartInfo(sc, command.CommandLine)
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using (var process = Process.Start(info))
            {
                var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                process.WaitForExit();
                output.WriteLine($"install-finish: sc.exe {command.CommandLine}: {text.Trim().Replace("\r\n", " ")}");
                return process.ExitCode;
            }
        }
    }
}
