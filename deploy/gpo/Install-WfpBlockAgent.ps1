# Group Policy computer startup script: installs or upgrades wfp-block-agent from a file share only when the
# MSI there is newer than what is installed (idempotent: every boot runs it, most boots change nothing), and
# writes what it did to the Application event log (source wfp-block-agent-deploy; 1000 up to date, 1001
# installed or upgraded, 1002 failed). Windows PowerShell 5.1, runs as SYSTEM. deploy/README.md "Group Policy".
#
#   Script parameters in the GPO, e.g.:
#   -MsiPath \\fs01\deploy$\wfp-block-agent\wfp-block-agent-0.1.0-x64.msi -Properties 'OTLP_ENDPOINT=https://otel.example.com:4318'
# Self-contained on purpose: Intune and Group Policy run each script alone (no module ships beside it), so the
# few helpers it shares with the other scripts are repeated, and the Pester tests cover each copy.
param(
    [Parameter(Mandatory = $true)] [string]$MsiPath,
    [string]$Properties = '',
    [string]$LogDir = ''
)
$ProductName = 'wfp-block-agent'
$EventSource = 'wfp-block-agent-deploy'

function Write-DeployEvent([int]$EventId, [string]$Message, [string]$Level = 'Information') {
    if (-not [System.Diagnostics.EventLog]::SourceExists($EventSource)) {
        [System.Diagnostics.EventLog]::CreateEventSource($EventSource, 'Application')
    }
    $type = [System.Diagnostics.EventLogEntryType]::$Level
    [System.Diagnostics.EventLog]::WriteEntry($EventSource, $Message, $type, $EventId)
}

function Get-InstalledAgentVersion {
    $keys = @(
        'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*',
        'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'
    )
    $entry = Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue |
        Where-Object { $_.DisplayName -eq $ProductName } |
        Select-Object -First 1
    if ($null -eq $entry) { return $null }
    return [string]$entry.DisplayVersion
}

function ConvertTo-AgentVersion([string]$Text) {
    $parsed = $null
    if ([System.Version]::TryParse(($Text -replace '[-+].*$', ''), [ref]$parsed)) { return $parsed }
    return $null
}

# The package's version from its name, as the build names it: wfp-block-agent-<version>-x64.msi.
function Get-MsiVersion([string]$Path) {
    $name = ($Path -split '[\\/]')[-1]
    if ($name -match '^wfp-block-agent-(\d+\.\d+\.\d+(\.\d+)?)-x64\.msi$') { return ConvertTo-AgentVersion $Matches[1] }
    return $null
}

# msiexec, silent, with a verbose log; its exit code.
function Invoke-Msiexec([string[]]$Arguments) {
    $process = Start-Process -FilePath "$env:SystemRoot\System32\msiexec.exe" -ArgumentList $Arguments -Wait -PassThru -WindowStyle Hidden
    return $process.ExitCode
}

function Invoke-Main {
    if (-not (Test-Path -LiteralPath $MsiPath)) {
        Write-DeployEvent 1002 "The package $MsiPath cannot be reached; nothing was installed." 'Error'
        return 1
    }
    $wanted = Get-MsiVersion $MsiPath
    if ($null -eq $wanted) {
        Write-DeployEvent 1002 "The package name $MsiPath is not wfp-block-agent-<version>-x64.msi; nothing was installed." 'Error'
        return 1
    }
    $installed = ConvertTo-AgentVersion (Get-InstalledAgentVersion)
    if ($null -ne $installed -and $installed -ge $wanted) {
        Write-DeployEvent 1000 "wfp-block-agent $installed is installed; the package has $($wanted): nothing to do."
        return 0
    }
    if ($LogDir -eq '') {
        $dataDir = $env:ProgramData
        if ([string]::IsNullOrEmpty($dataDir)) { $dataDir = 'C:\ProgramData' }
        $LogDir = "$dataDir\wfp-block-agent\deploy-logs"
    }
    if (-not (Test-Path -LiteralPath $LogDir)) { New-Item -ItemType Directory -Path $LogDir -Force | Out-Null }
    $log = "$LogDir\install-$wanted.log"
    $arguments = @('/i', "`"$MsiPath`"", '/qn', '/norestart', '/l*v', "`"$log`"")
    if ($Properties -ne '') { $arguments += $Properties }
    $code = Invoke-Msiexec $arguments
    $from = 'nothing'
    if ($null -ne $installed) { $from = "$installed" }
    if ($code -eq 0 -or $code -eq 3010) {
        $restart = ''
        if ($code -eq 3010) { $restart = ' Windows asks for a restart (3010) to finish.' }
        Write-DeployEvent 1001 "wfp-block-agent $wanted installed (was $from).$restart Log: $log"
        return 0
    }
    Write-DeployEvent 1002 "Installing wfp-block-agent $wanted failed: msiexec exited $code (was $from). Log: $log" 'Error'
    return $code
}

if ($MyInvocation.InvocationName -ne '.') { exit (Invoke-Main) }
