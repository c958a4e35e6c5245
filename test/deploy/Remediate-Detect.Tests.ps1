BeforeAll {
    . "$PSScriptRoot/Stubs.ps1"
    . "$PSScriptRoot/../../deploy/intune/Remediate-Detect.ps1"
}

Describe 'Intune remediation: detection script' {
    BeforeEach {
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Running' } }
        Mock Get-AgentStatus { New-AgentStatusReport }
    }

    It 'exit 0 when the service runs, the audit policy is as configured and exports succeed' {
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Be 'wfp-block-agent: healthy.'
    }

    It 'exit 1 when the service is stopped' {
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Stopped' } }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'service is Stopped'
    }

    It 'exit 1 when the service is not installed' {
        Mock Get-Service { $null }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'not installed'
    }

    It 'exit 1 when audit subcategories are off (the agent reports drift)' {
        Mock Get-AgentStatus { New-AgentStatusReport -Drift @('Filtering Platform Connection {0CCE9226-69AE-11D9-BED3-505054503030}: drift') }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'audit policy differs: Filtering Platform Connection'
    }

    It 'exit 1 when exports have failed for over an hour, with the backend answer' {
        $since = (Get-Date).ToUniversalTime().AddMinutes(-90).ToString('o')
        Mock Get-AgentStatus { New-AgentStatusReport -FailingSince $since -LastError 'HTTP 503 Service Unavailable' }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'no export success since .*HTTP 503'
    }

    It 'exit 0 while exports have failed for less than an hour (the agent retries)' {
        $since = (Get-Date).ToUniversalTime().AddMinutes(-10).ToString('o')
        Mock Get-AgentStatus { New-AgentStatusReport -FailingSince $since -LastError 'HTTP 503' }
        (Invoke-Main)[-1] | Should -Be 0
    }

    It 'exit 1 when the agent gives no status' {
        Mock Get-AgentStatus { $null }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'no agent status'
    }

    It 'keeps its output under 2,048 characters' {
        $drift = 1..300 | ForEach-Object { "Subcategory number $_ with a long name {0CCE9226-69AE-11D9-BED3-505054503030}: drift" }
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Stopped' } }
        Mock Get-AgentStatus { New-AgentStatusReport -Drift $drift -FailingSince '2020-01-01T00:00:00Z' -LastError ('x' * 3000) }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0].Length | Should -BeLessThan 2048
    }
}
