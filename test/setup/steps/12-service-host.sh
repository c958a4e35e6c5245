#!/usr/bin/env bash
# .NET for the Windows service host (deploy/windows/service/WfpAgentService, net48 from NuGet reference assemblies)
# and its xunit project, so test/integration/service-host.test.ts builds and tests without a slow first restore.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v dotnet >/dev/null 2>&1; then
  echo "12-service-host: dotnet not found; test/integration/service-host.test.ts fails under CI and skips elsewhere."
  exit 0
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore deploy/windows/service/WfpAgentService/WfpAgentService.csproj --verbosity quiet
dotnet restore test/unit/service/WfpAgentService.Tests/WfpAgentService.Tests.csproj --verbosity quiet
