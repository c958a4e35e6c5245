BeforeAll {
    . "$PSScriptRoot/Stubs.ps1"
    . "$PSScriptRoot/../../deploy/intune/Detect-WfpBlockAgent.ps1"
}

Describe 'Intune detection script' {
    BeforeEach {
        $MinimumVersion = '0.2.0'
        Mock Get-Service { [pscustomobject]@{ Name = 'wfp-block-agent'; Status = 'Running' } }
        Mock Get-ItemProperty { @([pscustomobject]@{ DisplayName = 'Other'; DisplayVersion = '9.9.9' }, [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.2.0' }) }
    }

    It 'detects the agent at the minimum version: output on stdout and exit 0' {
        $out = Invoke-Main
        $out[-1] | Should -Be 0
        $out[0] | Should -Be 'wfp-block-agent 0.2.0 installed (service Running).'
        Should -Invoke Get-Service -Times 1 -ParameterFilter { $Name -eq 'wfp-block-agent' }
    }

    It 'detects a newer version, also with a pre-release suffix' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.10.1-rc1' } }
        (Invoke-Main)[-1] | Should -Be 0
    }

    It 'does not detect an older version (exit 1, nothing on stdout)' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.1.9' } }
        $out = @(Invoke-Main)
        $out | Should -Be @(1)
    }

    It 'does not detect when the service is missing' {
        Mock Get-Service { $null }
        @(Invoke-Main) | Should -Be @(1)
    }

    It 'does not detect when Programs and Features has no entry' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'Other'; DisplayVersion = '1.0.0' } }
        @(Invoke-Main) | Should -Be @(1)
    }
}
