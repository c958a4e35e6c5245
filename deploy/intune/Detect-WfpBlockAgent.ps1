# Intune Win32 app detection rule (custom script) for wfp-block-agent: detected when the service exists and the
# installed version is at least $MinimumVersion. Intune treats "exit 0 with output on stdout" as detected;
# anything else (no output, or a non-zero exit) as not detected. Windows PowerShell 5.1, runs as SYSTEM.
# Set $MinimumVersion to the version of the MSI this app deploys (deploy/README.md "Intune").
# Self-contained on purpose: Intune and Group Policy run each script alone (no module ships beside it), so the
# few helpers it shares with the other scripts are repeated, and the Pester tests cover each copy.
$MinimumVersion = '0.1.0'
$ServiceName = 'wfp-block-agent'

function Get-AgentService {
    Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
}

# The version the MSI registered (Programs and Features), or $null when it is not installed.
function Get-InstalledAgentVersion {
    $keys = @(
        'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*',
        'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*'
    )
    $entry = Get-ItemProperty -Path $keys -ErrorAction SilentlyContinue |
        Where-Object { $_.DisplayName -eq $ServiceName } |
        Select-Object -First 1
    if ($null -eq $entry) { return $null }
    return [string]$entry.DisplayVersion
}

function ConvertTo-AgentVersion([string]$Text) {
    $parsed = $null
    if ([System.Version]::TryParse(($Text -replace '[-+].*$', ''), [ref]$parsed)) { return $parsed }
    return $null
}

function Invoke-Main {
    $service = Get-AgentService
    if ($null -eq $service) { return 1 }
    $installed = ConvertTo-AgentVersion (Get-InstalledAgentVersion)
    if ($null -eq $installed) { return 1 }
    if ($installed -lt (ConvertTo-AgentVersion $MinimumVersion)) { return 1 }
    Write-Output "wfp-block-agent $installed installed (service $($service.Status))."
    return 0
}

if ($MyInvocation.InvocationName -ne '.') { exit (Invoke-Main) }
