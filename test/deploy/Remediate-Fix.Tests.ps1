BeforeAll {
    . "$PSScriptRoot/Stubs.ps1"
    . "$PSScriptRoot/../../deploy/intune/Remediate-Fix.ps1"
}

Describe 'Intune remediation: remediation script' {
    BeforeEach {
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Running' } }
        Mock Get-AgentStatus { New-AgentStatusReport }
        Mock Start-Service { }
        Mock Restart-Service { }
        Mock Invoke-AuditApply { 0 }
    }

    It 'does nothing and exits 0 when all is well' {
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Be 'wfp-block-agent: nothing to do.'
        Should -Invoke Start-Service -Times 0
        Should -Invoke Invoke-AuditApply -Times 0
    }

    It 'starts a stopped service' {
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Stopped' } }
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Match 'started the service'
        Should -Invoke Start-Service -Times 1 -ParameterFilter { $Name -eq 'wfp-block-agent' }
    }

    It 'exits 1 when the service does not start' {
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Stopped' } }
        Mock Start-Service { throw 'Service cannot be started (1053).' }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'starting the service failed: Service cannot be started'
    }

    It 'runs wfp-agent audit apply when the audit policy differs' {
        Mock Get-AgentStatus { New-AgentStatusReport -Drift @('Filtering Platform Connection {0CCE9226-69AE-11D9-BED3-505054503030}: drift') }
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Match 'applied the audit policy'
        Should -Invoke Invoke-AuditApply -Times 1
    }

    It 'exits 1 when audit apply fails (e.g. Group Policy owns the audit policy)' {
        Mock Get-AgentStatus { New-AgentStatusReport -Drift @('Audit Policy Change {0CCE922F-69AE-11D9-BED3-505054503030}: drift') }
        Mock Invoke-AuditApply { 1 }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'audit apply exited 1'
    }

    It 'restarts the service when exports have failed for over an hour' {
        Mock Get-AgentStatus { New-AgentStatusReport -FailingSince '2020-01-01T00:00:00Z' -LastError 'connect ECONNREFUSED' }
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Match 'restarted the service'
        Should -Invoke Restart-Service -Times 1
    }

    It 'exits 1 when the service is not installed' {
        Mock Get-Service { $null }
        $out = Invoke-Main
        $out[-1] | Should -Be 1
        $out[0] | Should -Match 'not installed'
    }
}
