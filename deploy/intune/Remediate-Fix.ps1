# Intune Remediations, remediation script: starts the wfp-block-agent service when it is not running, applies
# the configured audit policy (wfp-agent audit apply) when it differs, and restarts the service when exports
# have failed for over an hour. Exit 0 when everything it tried worked, 1 otherwise. Windows PowerShell 5.1,
# runs as SYSTEM, output under 2,048 characters, no reboot.
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

function Get-AgentStatus {
    if (-not (Test-Path -LiteralPath $AgentCmd)) { return $null }
    $text = (& $AgentCmd status --json 2>$null) -join "`n"
    if ([string]::IsNullOrWhiteSpace($text)) { return $null }
    try { return ConvertFrom-Json -InputObject $text } catch { return $null }
}

# `wfp-agent audit apply`: its exit code (0 applied or nothing to do).
function Invoke-AuditApply {
    & $AgentCmd audit apply 2>&1 | Out-Null
    return $LASTEXITCODE
}

function Invoke-Main {
    $done = @()
    $failed = @()
    $service = Get-AgentService
    if ($null -eq $service) {
        Write-Output 'wfp-block-agent: the service is not installed; reinstall the app.'
        return 1
    }
    if ($service.Status -ne 'Running') {
        try {
            Start-Service -Name $ServiceName -ErrorAction Stop
            $done += 'started the service'
        } catch {
            $failed += "starting the service failed: $($_.Exception.Message)"
        }
    }
    $report = Get-AgentStatus
    if ($null -ne $report -and $null -ne $report.status) {
        $audit = $report.status.audit
        if ($null -ne $audit -and @($audit.drift).Count -gt 0) {
            $code = Invoke-AuditApply
            if ($code -eq 0) { $done += 'applied the audit policy' } else { $failed += "wfp-agent audit apply exited $code" }
        }
        $failingSince = $report.status.export.failing_since
        if (-not [string]::IsNullOrEmpty([string]$failingSince) -and $service.Status -eq 'Running') {
            if (((Get-Date).ToUniversalTime() - (ConvertTo-UtcTime $failingSince)).TotalMinutes -gt $ExportGraceMinutes) {
                try {
                    Restart-Service -Name $ServiceName -ErrorAction Stop
                    $done += 'restarted the service (exports failing)'
                } catch {
                    $failed += "restarting the service failed: $($_.Exception.Message)"
                }
            }
        }
    }
    $parts = @($done) + @($failed)
    if ($parts.Count -eq 0) { $parts = @('nothing to do') }
    $text = "wfp-block-agent: $($parts -join '; ')."
    if ($text.Length -gt 2000) { $text = $text.Substring(0, 2000) }
    Write-Output $text
    if ($failed.Count -gt 0) { return 1 }
    return 0
}

if ($MyInvocation.InvocationName -ne '.') { exit (Invoke-Main) }
