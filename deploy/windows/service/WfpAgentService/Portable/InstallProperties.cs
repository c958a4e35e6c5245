using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// The MSI's install properties as install-finish turns them into files. The MSI writes them to
    /// HKLM\SOFTWARE\wfp-block-agent (remembered for upgrades); install-finish writes install.yaml beside agent.yaml
    /// on every install and upgrade (agent/config/install-overlay.ts reads it), and agent.yaml only when it is missing
    /// (from CONFIG_FILE, else the bundled default), so an admin's edits survive upgrades.
    /// </summary>
    public static class InstallProperties
    {
        public const string RegistryKey = "SOFTWARE\\wfp-block-agent";
        public const string ConfigFileValue = "ConfigFile";

        /// <summary>Registry value name → install.yaml key, in file order.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> OverlayKeys = new[]
        {
            new KeyValuePair<string, string>("OtlpEndpoint", "otlp_endpoint"),
            new KeyValuePair<string, string>("OtlpHeaders", "otlp_headers"),
            new KeyValuePair<string, string>("OtlpProtocol", "otlp_protocol"),
            new KeyValuePair<string, string>("ResourceAttributes", "resource_attributes"),
            new KeyValuePair<string, string>("AuditMode", "audit_mode"),
        };

        /// <summary>install.yaml from the registry values (null or empty: left out, so agent.yaml decides).</summary>
        public static string RenderOverlay(Func<string, string> registryValue)
        {
            var text = new StringBuilder("# Written by WfpAgentService.exe install-finish from the MSI properties.\r\n");
            foreach (var pair in OverlayKeys)
            {
                var value = registryValue(pair.Key);
                if (string.IsNullOrWhiteSpace(value)) continue;
                text.Append(pair.Value).Append(": ").Append(YamlQuote(value.Trim())).Append("\r\n");
            }
            return text.ToString();
        }

        /// <summary>A YAML double-quoted scalar: every character comes back as given (headers carry secrets with any byte).</summary>
        public static string YamlQuote(string value)
        {
            var text = new StringBuilder("\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\': text.Append("\\\\"); break;
                    case '"': text.Append("\\\""); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c == 0x7f) text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }
            return text.Append('"').ToString();
        }

        /// <summary>
        /// Where agent.yaml comes from when it is missing: CONFIG_FILE when given (it must exist: an install that
        /// was asked for a config must not silently run another), else the bundled default. Null source with an
        /// error: fail the install with that line. Null source without one: agent.yaml exists, leave it.
        /// </summary>
        public static (string Source, string Error) ConfigSeed(string configFileProperty, string bundledDefault, string target, Func<string, bool> exists)
        {
            if (exists(target)) return (null, null);
            if (!string.IsNullOrWhiteSpace(configFileProperty))
            {
                var given = configFileProperty.Trim().Trim('"');
                return exists(given) ? (given, null) : (null, $"CONFIG_FILE {given} does not exist; agent.yaml was not written.");
            }
            return exists(bundledDefault) ? (bundledDefault, null) : (null, $"the bundled default config {bundledDefault} is missing; agent.yaml was not written.");
        }
    }
}
