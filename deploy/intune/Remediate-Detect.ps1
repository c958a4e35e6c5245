# Intune Remediations, detection script: exit 1 (remediation needed) when the wfp-block-agent service is not
# running, the audit subcategories the agent needs are off, or the agent has had no export success for over an
# hour; exit 0 when all is well. Reads the agent's own report (wfp-agent status --json) instead of log files.
# Windows PowerShell 5.1, runs as SYSTEM, output under 2,048 characters, no reboot.
# Self-contained on purpose: Intune and Group Policy run each script alone (no module ships beside it), so the
# few helpers it shares with the other scripts are repeated, and the Pester tests cover each copy.
$ServiceName = 'wfp-block-agent'
$ProgramFilesDir = $env:ProgramFiles
if ([string]::IsNullOrEmpty($ProgramFilesDir)) { $ProgramFilesDir = 'C:\Program Files' }
$AgentCmd = "$ProgramFilesDir\wfp-block-agent\wfp-agent.cmd"
$ExportGraceMinutes = 60

# An ISO 8601 time from the status (Windows PowerShell 5.1 leaves it a string, 7 makes it a DateTime) in UTC.
function ConvertTo-UtcTime($Value) {
    if ($Value -is [DateTime]) { return $Value.ToUniversalTime() }
    $styles = [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal
    return [DateTime]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture, $styles)
}

function Get-AgentService {
    Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
}

# `wfp-agent status --json` parsed, or $null when the agent cannot say.
function Get-AgentStatus {
    if (-not (Test-Path -LiteralPath $AgentCmd)) { return $null }
    $text = (& $AgentCmd status --json 2>$null) -join "`n"
    if ([string]::IsNullOrWhiteSpace($text)) { return $null }
    try { return ConvertFrom-Json -InputObject $text } catch { return $null }
}

function Get-Problems {
    $problems = @()
    $service = Get-AgentService
    if ($null -eq $service) { return @('service wfp-block-agent is not installed') }
    if ($service.Status -ne 'Running') { $problems += "service is $($service.Status)" }
    $report = Get-AgentStatus
    if ($null -eq $report -or $null -eq $report.status) {
        $problems += 'no agent status (wfp-agent status --json gave nothing)'
        return $problems
    }
    $audit = $report.status.audit
    if ($null -ne $audit -and @($audit.drift).Count -gt 0) {
        $problems += "audit policy differs: $((@($audit.drift) | Select-Object -First 3) -join '; ')"
    }
    $failingSince = $report.status.export.failing_since
    if (-not [string]::IsNullOrEmpty([string]$failingSince)) {
        if (((Get-Date).ToUniversalTime() - (ConvertTo-UtcTime $failingSince)).TotalMinutes -gt $ExportGraceMinutes) {
            $problems += "no export success since $failingSince ($($report.status.export.last_error))"
        }
    }
    return $problems
}

function Invoke-Main {
    $problems = @(Get-Problems)
    if ($problems.Count -eq 0) {
        Write-Output 'wfp-block-agent: healthy.'
        return 0
    }
    $text = "wfp-block-agent: $($problems -join ' | ')"
    if ($text.Length -gt 2000) { $text = $text.Substring(0, 2000) }
    Write-Output $text
    return 1
}

if ($MyInvocation.InvocationName -ne '.') { exit (Invoke-Main) }
