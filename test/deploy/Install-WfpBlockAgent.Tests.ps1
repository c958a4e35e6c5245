BeforeAll {
    . "$PSScriptRoot/Stubs.ps1"
    . "$PSScriptRoot/../../deploy/gpo/Install-WfpBlockAgent.ps1" -MsiPath '\\fs01\deploy$\wfp-block-agent-0.2.0-x64.msi'
}

Describe 'GPO startup script' {
    BeforeEach {
        $MsiPath = '\\fs01\deploy$\wfp-block-agent-0.2.0-x64.msi'
        $Properties = 'OTLP_ENDPOINT=https://otel.example.com:4318'
        $LogDir = 'C:\ProgramData\wfp-block-agent\deploy-logs'
        $script:events = @()
        Mock Write-DeployEvent { $script:events += [pscustomobject]@{ Id = $EventId; Message = $Message; Level = $Level } }
        Mock Test-Path { $true }
        Mock New-Item { }
        Mock Get-ItemProperty { $null }
        Mock Invoke-Msiexec { 0 }
    }

    It 'installs when the agent is missing: silent msiexec with a log and the properties, event 1001' {
        (Invoke-Main) | Should -Be 0
        Should -Invoke Invoke-Msiexec -Times 1 -ParameterFilter {
            ($Arguments -join ' ') -eq '/i "\\fs01\deploy$\wfp-block-agent-0.2.0-x64.msi" /qn /norestart /l*v "C:\ProgramData\wfp-block-agent\deploy-logs\install-0.2.0.log" OTLP_ENDPOINT=https://otel.example.com:4318'
        }
        $script:events.Id | Should -Be @(1001)
        $script:events[0].Message | Should -Match 'wfp-block-agent 0.2.0 installed \(was nothing\)'
    }

    It 'changes nothing when the same version is installed: event 1000, no msiexec' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.2.0' } }
        (Invoke-Main) | Should -Be 0
        Should -Invoke Invoke-Msiexec -Times 0
        $script:events.Id | Should -Be @(1000)
    }

    It 'never downgrades a newer installed version' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.3.0' } }
        (Invoke-Main) | Should -Be 0
        Should -Invoke Invoke-Msiexec -Times 0
    }

    It 'upgrades an older version, and passes on 3010 (restart requested) as success' {
        Mock Get-ItemProperty { [pscustomobject]@{ DisplayName = 'wfp-block-agent'; DisplayVersion = '0.1.0' } }
        Mock Invoke-Msiexec { 3010 }
        (Invoke-Main) | Should -Be 0
        $script:events[0].Id | Should -Be 1001
        $script:events[0].Message | Should -Match '\(was 0\.1\.0\)\. Windows asks for a restart \(3010\)'
    }

    It 'reports a failed install with the msiexec code (1603) as an error event and returns it' {
        Mock Invoke-Msiexec { 1603 }
        (Invoke-Main) | Should -Be 1603
        $script:events[0].Id | Should -Be 1002
        $script:events[0].Level | Should -Be 'Error'
        $script:events[0].Message | Should -Match 'msiexec exited 1603'
    }

    It 'reports an unreachable share without running msiexec' {
        Mock Test-Path { $false } -ParameterFilter { $LiteralPath -eq $MsiPath }
        (Invoke-Main) | Should -Be 1
        Should -Invoke Invoke-Msiexec -Times 0
        $script:events[0].Id | Should -Be 1002
    }

    It 'refuses a package whose name carries no version' {
        $MsiPath = '\\fs01\deploy$\agent.msi'
        (Invoke-Main) | Should -Be 1
        Should -Invoke Invoke-Msiexec -Times 0
        $script:events[0].Message | Should -Match 'is not wfp-block-agent-<version>-x64\.msi'
    }
}
