using System;
using System.Diagnostics;
using System.IO;
using System.Security.AccessControl;
using System.Security.Principal;
using System.Text;
using Microsoft.Win32;

namespace WfpBlockAgent.Service.Windows
{
    /// <summary>
    /// `install-finish` (MSI deferred custom action, elevated, idempotent): the protected DACL on the data folder
    /// first (so the files below inherit it), install.yaml from HKLM\SOFTWARE\wfp-block-agent, agent.yaml when
    /// missing, the event-log source, then recovery actions and delayed start via sc.exe. Every step runs; each
    /// failure is one line on stdout (the MSI log) and the exit code is 1, so the install fails with 1603 and says why.
    /// Windows only; on paper here.
    /// </summary>
    internal static class InstallFinish
    {
        public static int Run(InstallLayout layout, TextWriter output)
        {
            var failed = false;
            bool Step(string what, Action action)
            {
                try
                {
                    action();
                    output.WriteLine($"install-finish: {what}: done.");
                    return true;
                }
                catch (Exception e)
                {
                    output.WriteLine($"install-finish: {what}: FAILED: {e.Message}");
                    failed = true;
                    return false;
                }
            }

            var isProtected = Step($"protected DACL on {layout.DataDir} (SYSTEM, Administrators: full control; nothing inherited)", () => ProtectDataDir(layout.DataDir));
            Step("state and logs folders", () =>
            {
                Directory.CreateDirectory(layout.StateDir);
                Directory.CreateDirectory(layout.LogsDir);
            });
            // OTLP_HEADERS may hold an API key: never written into a folder Users can read.
            if (isProtected) Step($"{layout.InstallOverlayFile} from HKLM\\{InstallProperties.RegistryKey}", () => WriteOverlay(layout));
            else output.WriteLine($"install-finish: {layout.InstallOverlayFile} not written: the folder is not protected.");
            Step($"{layout.ConfigFile} when missing", () => SeedConfig(layout, output));
            Step($"event-log source '{InstallLayout.EventSource}' in the Application log", () =>
            {
                if (!EventLog.SourceExists(InstallLayout.EventSource))
                    EventLog.CreateEventSource(new EventSourceCreationData(InstallLayout.EventSource, "Application"));
            });
            foreach (var command in InstallFinishPlan.ScCommands(InstallLayout.ServiceName))
                Step($"{command.Why} (sc.exe {command.CommandLine})", () => RunSc(command));
            return failed ? 1 : 0;
        }

        private static string RegistryValue(RegistryKey key, string name) => key?.GetValue(name) as string;

        private static RegistryKey OpenProperties() =>
            RegistryKey.OpenBaseKey(RegistryHive.LocalMachine, RegistryView.Registry64).OpenSubKey(InstallProperties.RegistryKey);

        private static void WriteOverlay(InstallLayout layout)
        {
            using (var key = OpenProperties())
                File.WriteAllText(layout.InstallOverlayFile, InstallProperties.RenderOverlay(name => RegistryValue(key, name)), new UTF8Encoding(false));
        }

        private static void SeedConfig(InstallLayout layout, TextWriter output)
        {
            string configFile;
            using (var key = OpenProperties()) configFile = RegistryValue(key, InstallProperties.ConfigFileValue);
            var (source, error) = InstallProperties.ConfigSeed(configFile, layout.BundledConfig, layout.ConfigFile, File.Exists);
            if (error != null) throw new InvalidOperationException(error);
            if (source == null)
            {
                output.WriteLine($"install-finish: {layout.ConfigFile} exists; kept as it is.");
                return;
            }
            // Read and written rather than copied: the new file inherits the protected folder's DACL, not the source's.
            File.WriteAllBytes(layout.ConfigFile, File.ReadAllBytes(source));
            output.WriteLine($"install-finish: {layout.ConfigFile} written from {source}.");
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

        private static void RunSc(ScCommand command)
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
                var stderr = process.StandardError.ReadToEndAsync();
                var text = process.StandardOutput.ReadToEnd() + stderr.Result;
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"exit code {process.ExitCode}: {text.Trim().Replace("\r\n", " ")}");
            }
        }
    }
}
