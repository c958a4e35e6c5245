using System;

namespace WfpBlockAgent.Service
{
    /// <summary>Entry point: no verb runs the service under the SCM; verbs are for the MSI and for debugging.</summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            Console.Error.WriteLine("WfpAgentService: skeleton, not implemented yet");
            return args.Length == 0 ? 0 : 2;
        }
    }
}
