#!/usr/bin/env bash
# PowerShell 7 and Pester for the deploy/ scripts' tests (test/deploy/*.Tests.ps1, run by
# test/integration/powershell-scripts.test.ts): PowerShell as a .NET tool from NuGet (the `PowerShell` package,
# pinned), Pester as a NuGet package restored by dotnet into the NuGet cache. Idempotent: does nothing when
# both are in place. WFP_PWSH_DIR overrides where pwsh goes (default .tools/pwsh).
set -euo pipefail
cd "$(dirname "$0")/../../.."
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
PWSH_DIR="${WFP_PWSH_DIR:-$PWD/.tools/pwsh}"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "40-powershell: dotnet not found; PowerShell cannot be installed (the Pester tests fail under CI=true)."
  exit 0
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ -x "$PWSH_DIR/pwsh" ] && "$PWSH_DIR/pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' | grep -qx "$PWSH_VERSION"; then
  echo "40-powershell: pwsh $PWSH_VERSION already in $PWSH_DIR"
else
  mkdir -p "$PWSH_DIR"
  dotnet tool install PowerShell --version "$PWSH_VERSION" --tool-path "$PWSH_DIR" \
    || dotnet tool update PowerShell --version "$PWSH_VERSION" --tool-path "$PWSH_DIR"
fi
NUGET_PACKAGES="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
if [ -f "$NUGET_PACKAGES/pester/$PESTER_VERSION/tools/Pester.psd1" ]; then
  echo "40-powershell: Pester $PESTER_VERSION already in $NUGET_PACKAGES"
else
  # A throwaway project whose only job is to have dotnet download the Pester package into the NuGet cache.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cat > "$work/fetch-pester.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PESTER_VERSION]" /></ItemGroup>
</Project>
PROJ
  dotnet restore "$work/fetch-pester.csproj" --verbosity quiet
fi
"$PWSH_DIR/pwsh" -NoProfile -Command "Import-Module '$NUGET_PACKAGES/pester/$PESTER_VERSION/tools/Pester.psd1'; (Get-Module Pester).Version.ToString()"
