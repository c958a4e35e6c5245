#!/usr/bin/env bash
# .NET for the live-source bridge: restores the net48 bridge (reference assemblies from NuGet) and its xunit
# project, so test/integration/bridge-dotnet.test.ts builds and tests offline-fast. Machines of this project's
# kind ship the .NET SDK; without it the step says so and the bridge tests skip with the same message, except
# under CI (CI set, as .ci/run does), where a missing SDK fails the setup here, as it fails the tests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v dotnet >/dev/null 2>&1; then
  case "${CI:-}" in
    '' | 0 | false | FALSE | False)
      echo "10-dotnet: dotnet not found; the bridge build and xunit tests will be skipped."
      exit 0
      ;;
  esac
  echo "10-dotnet: dotnet not found, and CI is set: the .NET SDK is a test dependency here (the bridge build and xunit tests)." >&2
  exit 1
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet --version
dotnet restore agent/bridge/dotnet/WfpBridge/WfpBridge.csproj --verbosity quiet
dotnet restore test/unit/bridge/WfpBridge.Tests/WfpBridge.Tests.csproj --verbosity quiet
