# Windows-only commands the deploy scripts call do not exist in PowerShell 7 on Linux; Pester can only mock a
# command that exists, so these stand-ins are defined first (every test mocks them; they fail if one is not).
foreach ($name in 'Get-Service', 'Start-Service', 'Restart-Service') {
    if (-not (Get-Command $name -ErrorAction SilentlyContinue)) {
        Set-Item -Path "function:global:$name" -Value ([scriptblock]::Create("[CmdletBinding()] param([Parameter(Position = 0)] [string[]]`$Name) throw '$name is not mocked in this test'"))
    }
}

# A status document as `wfp-agent status --json` prints it (agent/status), with the fields the scripts read.
function New-AgentStatusReport {
    param([string[]]$Drift = @(), $FailingSince = $null, $LastError = $null, [string]$Health = 'healthy')
    $report = @{
        health  = $Health
        reasons = @()
        service = @{ kind = 'state'; state = 'RUNNING'; code = 4 }
        status  = @{
            schema  = 1
            version = '0.1.0'
            export  = @{ last_success_at = '2026-12-01T09:00:00.000Z'; failing_since = $FailingSince; last_error = $LastError }
            audit   = @{ mode = 'enforce'; checked_at = '2026-12-01T09:00:00.000Z'; drift = $Drift; gpo_managed = $false; errors = @() }
        }
    }
    return ($report | ConvertTo-Json -Depth 6 | ConvertFrom-Json)
}
