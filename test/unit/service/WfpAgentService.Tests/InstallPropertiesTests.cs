using System.Collections.Generic;
using Xunit;

namespace WfpBlockAgent.Service.Tests
{
    public class InstallPropertiesTests
    {
        [Fact]
        public void WritesInstallYamlFromTheRegistryValuesInTheFormTheAgentReads()
        {
            var registry = new Dictionary<string, string>
            {
                ["OtlpEndpoint"] = "https://otlp.example.net:4318",
                ["OtlpHeaders"] = "api-key=s3cr%3Dt,x-team=netops",
                ["OtlpProtocol"] = "http/json",
                ["ResourceAttributes"] = "deployment.environment.name=prod,site=berlin%2C%20dc2",
                ["AuditMode"] = "verify",
                ["ConfigFile"] = "C:\\ignored.yaml",
            };
            // The same text as agent/config/install-overlay.ts's tests read (test/unit/config/install-overlay.test.ts).
            Assert.Equal(
                "# Written by WfpAgentService.exe install-finish from the MSI properties.\r\n" +
                "otlp_endpoint: \"https://otlp.example.net:4318\"\r\n" +
                "otlp_headers: \"api-key=s3cr%3Dt,x-team=netops\"\r\n" +
                "otlp_protocol: \"http/json\"\r\n" +
                "resource_attributes: \"deployment.environment.name=prod,site=berlin%2C%20dc2\"\r\n" +
                "audit_mode: \"verify\"\r\n",
                InstallProperties.RenderOverlay(name => registry.TryGetValue(name, out var v) ? v : null));
        }

        [Fact]
        public void LeavesOutPropertiesNotGiven()
        {
            var registry = new Dictionary<string, string> { ["OtlpEndpoint"] = "  http://collector:4318 ", ["AuditMode"] = "" };
            Assert.Equal(
                "# Written by WfpAgentService.exe install-finish from the MSI properties.\r\notlp_endpoint: \"http://collector:4318\"\r\n",
                InstallProperties.RenderOverlay(name => registry.TryGetValue(name, out var v) ? v : null));
        }

        [Theory]
        [InlineData("plain", "\"plain\"")]
        [InlineData("quo\"te and back\\slash", "\"quo\\\"te and back\\\\slash\"")]
        [InlineData("a: b # not a comment", "\"a: b # not a comment\"")]
        [InlineData("line\nbreak\u0001", "\"line\\nbreak\\x01\"")]
        public void QuotesEveryValueSoYamlGivesItBack(string value, string expected)
        {
            Assert.Equal(expected, InstallProperties.YamlQuote(value));
        }

        [Fact]
        public void SeedsTheConfigOnlyWhenMissingFromConfigFileOrTheDefault()
        {
            var files = new HashSet<string> { "C:\\PF\\config\\agent.yaml", "\\\\share\\fleet.yaml" };
            const string target = "C:\\PD\\agent.yaml";
            Assert.Equal(("C:\\PF\\config\\agent.yaml", (string)null), InstallProperties.ConfigSeed("", "C:\\PF\\config\\agent.yaml", target, files.Contains));
            Assert.Equal(("\\\\share\\fleet.yaml", (string)null), InstallProperties.ConfigSeed("\"\\\\share\\fleet.yaml\"", "C:\\PF\\config\\agent.yaml", target, files.Contains));
            var (source, error) = InstallProperties.ConfigSeed("D:\\missing.yaml", "C:\\PF\\config\\agent.yaml", target, files.Contains);
            Assert.Null(source);
            Assert.Equal("CONFIG_FILE D:\\missing.yaml does not exist; agent.yaml was not written.", error);
            files.Add(target);
            Assert.Equal(((string)null, (string)null), InstallProperties.ConfigSeed("\\\\share\\fleet.yaml", "C:\\PF\\config\\agent.yaml", target, files.Contains));
        }
    }
}
