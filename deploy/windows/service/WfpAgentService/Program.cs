using System;
using System.IO;
using System.ServiceProcess;
using System.Threading;
using WfpBlockAgent.Service.Windows;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// WfpAgentService.exe: no verb runs the service under the SCM; `install-finish` is for the MSI;
    /// `console` runs the same supervisor in a console window until Ctrl+C or Enter (troubleshooting).
    /// </summary>
    internal static class Program
    {
        private const string Usage =
            "Usage: WfpAgentService.exe [install-finish | console | --help]\r\n" +
            "  (no verb)       run as the wfp-block-agent service (started by the Service Control Manager)\r\n" +
            "  install-finish  protected data folder, install.yaml, agent.yaml when missing, event-log source,\r\n" +
            "                  recovery actions, delayed automatic start (elevated; idempotent; run by the MSI)\r\n" +
            "  console         run the agent under this host in the console until Ctrl+C or Enter\r\n" +
            "Exit codes: 0 done, 1 a step failed (each says which), 2 usage.\r\n";

        private static int Main(string[] args)
        {
            var layout = new InstallLayout(
                AppDomain.CurrentDomain.BaseDirectory,
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "wfp-block-agent"),
                Path.DirectorySeparatorChar);
            var verb = args.Length == 0 ? null : args[0];
            if (args.Length > 1)
            {
                Console.Error.Write(Usage);
                return 2;
            }
            switch (verb)
            {
                case null:
                    ServiceBase.Run(new AgentService(layout));
                    return 0;
                case "install-finish":
                    return InstallFinish.Run(layout, Console.Out);
                case "console":
                    return RunInConsole(layout);
                case "--help":
                case "-h":
                case "/?":
                    Console.Out.Write(Usage);
                    return 0;
                default:
                    Console.Error.Write($"WfpAgentService: unknown verb '{verb}'.\r\n" + Usage);
                    return 2;
            }
        }

        internal static AgentSupervisor CreateSupervisor(InstallLayout layout, JobObject job)
        {
            var configText = File.Exists(layout.ConfigFile) ? SafeRead(layout.ConfigFile) : "";
            return HostSetup.Create(layout, new RealFileSystem(), new SystemClock(), new WindowsEventLogWriter(), new SystemProcessStarter(job.Adopt), configText);
        }

        private static int RunInConsole(InstallLayout layout)
        {
            using (var job = new JobObject())
            {
                var supervisor = CreateSupervisor(layout, job);
                var done = new ManualResetEvent(false);
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    done.Set();
                };
                new Thread(() =>
                {
                    Console.ReadLine();
                    done.Set();
                }) { IsBackground = true }.Start();
                Console.Error.WriteLine($"WfpAgentService: running the agent; its output goes to {layout.AgentLogFile}. Ctrl+C or Enter stops it.");
                supervisor.Start();
                done.WaitOne();
                supervisor.Stop(null);
                return 0;
            }
        }

        private static string SafeRead(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception)
            {
                return "";
            }
        }
    }
}
