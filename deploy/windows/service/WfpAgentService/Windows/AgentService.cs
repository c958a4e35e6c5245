using System;
using System.ServiceProcess;

namespace WfpBlockAgent.Service.Windows
{
    /// <summary>The SCM face of the host: OnStart starts the supervisor, OnStop/OnShutdown run the stop protocol.</summary>
    internal sealed class AgentService : ServiceBase
    {
        private readonly InstallLayout layout;
        private JobObject job;
        private AgentSupervisor supervisor;

        public AgentService(InstallLayout layout)
        {
            this.layout = layout;
            ServiceName = InstallLayout.ServiceName;
            CanStop = true;
            CanShutdown = true;
            CanPauseAndContinue = false;
            // The supervisor writes its own entries (start, exits) under the wfp-block-agent source.
            AutoLog = false;
        }

        protected override void OnStart(string[] args)
        {
            job = new JobObject();
            supervisor = Program.CreateSupervisor(layout, job);
            supervisor.Start();
        }

        protected override void OnStop() => StopAgent();

        protected override void OnShutdown() => StopAgent();

        private void StopAgent()
        {
            supervisor?.Stop(wait => RequestAdditionalTime((int)Math.Min(int.MaxValue, wait.TotalMilliseconds)));
            job?.Dispose();
            job = null;
        }
    }
}
