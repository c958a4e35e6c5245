#!/usr/bin/env bash
# .NET for the live-source bridge: restores the net48 bridge (reference assemblies from NuGet) and its xunit
# project, so test/integration/bridge-dotnet.test.ts builds and tests offline-fast. Machines of this project's
# kind ship the .NET SDK; without it the step says so and the bridge tests skip with the same message.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v dotnet >/dev/null 2>&1; then
  echo "10-dotnet: dotnet not found; the bridge build and xunit tests will be skipped."
  exit 0
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet --version
dotnet restore agent/bridge/dotnet/WfpBridge/WfpBridge.csproj --verbosity quiet
dotnet restore test/unit/bridge/WfpBridge.Tests/WfpBridge.Tests.csproj --verbosity quiet
