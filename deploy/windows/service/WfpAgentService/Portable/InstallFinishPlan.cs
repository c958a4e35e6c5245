using System.Collections.Generic;

namespace WfpBlockAgent.Service
{
    /// <summary>One sc.exe call of install-finish.</summary>
    public sealed class ScCommand
    {
        public ScCommand(string why, params string[] args)
        {
            Why = why;
            Args = args;
        }

        public string Why { get; }
        public IReadOnlyList<string> Args { get; }
        public string CommandLine => WindowsCommandLine.Join(Args);
    }

    /// <summary>A rule of the protected DACL on %ProgramData%\wfp-block-agent: a well-known SID with full control.</summary>
    public sealed class FullControlGrant
    {
        public FullControlGrant(string sid, string name)
        {
            Sid = sid;
            Name = name;
        }

        /// <summary>SDDL SID string: names are localized (Administrateurs, Administradores), SIDs are not.</summary>
        public string Sid { get; }
        public string Name { get; }
    }

    /// <summary>
    /// What `WfpAgentService.exe install-finish` does besides the event-log source, as data so a test can check it:
    /// what wixl cannot express (no util: extensions). Every step sets a state, so running it twice changes nothing.
    /// </summary>
    public static class InstallFinishPlan
    {
        public const string LocalSystemSid = "S-1-5-18";
        public const string AdministratorsSid = "S-1-5-32-544";

        /// <summary>SYSTEM and Administrators, full control, inherited by everything below; inheritance from above broken.</summary>
        public static readonly IReadOnlyList<FullControlGrant> DataDirGrants = new[]
        {
            new FullControlGrant(LocalSystemSid, "NT AUTHORITY\\SYSTEM"),
            new FullControlGrant(AdministratorsSid, "BUILTIN\\Administrators"),
        };

        public static IReadOnlyList<ScCommand> ScCommands(string serviceName) => new[]
        {
            // Restart after 5 s, 15 s, then 60 s; the count of failures resets after a day without one.
            new ScCommand("recovery actions", "failure", serviceName, "reset=", "86400", "actions=", "restart/5000/restart/15000/restart/60000"),
            // Also apply them when the host stops with a non-zero exit code, not only when it crashes.
            new ScCommand("recovery on non-crash failures", "failureflag", serviceName, "1"),
            // Delayed automatic start: the agent is not needed for boot, and the Security log is there by then.
            new ScCommand("delayed automatic start", "config", serviceName, "start=", "delayed-auto"),
        };
    }
}
