# Every deploy script must run on Windows PowerShell 5.1 (Intune and Group Policy run scripts there): it parses,
# and PowerShell's own AST finds none of the PowerShell 7 syntax 5.1 cannot parse or run.
BeforeAll {
    # What 5.1 lacks, found in the AST (not by text, so strings and comments are never matched).
    function Get-Ps7OnlySyntax([System.Management.Automation.Language.Ast]$Ast) {
        $found = @()
        $nodes = $Ast.FindAll({ $true }, $true)
        foreach ($n in $nodes) {
            $type = $n.GetType().Name
            if ($type -eq 'TernaryExpressionAst') { $found += "ternary ?: at line $($n.Extent.StartLineNumber)" }
            elseif ($type -eq 'PipelineChainAst') { $found += "&& / || at line $($n.Extent.StartLineNumber)" }
            elseif ($type -eq 'BinaryExpressionAst' -and "$($n.Operator)" -eq 'QuestionQuestion') { $found += "?? at line $($n.Extent.StartLineNumber)" }
            elseif ($type -eq 'AssignmentStatementAst' -and "$($n.Operator)" -eq 'QuestionQuestionEquals') { $found += "??= at line $($n.Extent.StartLineNumber)" }
            elseif (($type -eq 'MemberExpressionAst' -or $type -eq 'InvokeMemberExpressionAst' -or $type -eq 'IndexExpressionAst') -and $n.NullConditional) { $found += "?. / ?[] at line $($n.Extent.StartLineNumber)" }
            elseif ($type -eq 'CommandParameterAst' -and $n.ParameterName -eq 'Parallel') { $found += "-Parallel at line $($n.Extent.StartLineNumber)" }
            elseif ($type -eq 'NamedBlockAst' -and "$($n.BlockKind)" -eq 'Clean') { $found += "clean block at line $($n.Extent.StartLineNumber)" }
        }
        return $found
    }
    function Read-Script([string]$Text) {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
        return @{ Ast = $ast; Errors = $errors }
    }
    $script:scripts = Get-ChildItem -Path "$PSScriptRoot/../../deploy" -Recurse -Filter '*.ps1'
}

Describe 'deploy scripts: Windows PowerShell 5.1 syntax' {
    It 'finds the scripts' {
        $script:scripts.Count | Should -BeGreaterOrEqual 4
    }

    It '<Name> parses and uses only 5.1 syntax, in ASCII (5.1 reads a file without a BOM as ANSI)' -ForEach @(
        Get-ChildItem -Path "$PSScriptRoot/../../deploy" -Recurse -Filter '*.ps1' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    ) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        @($bytes | Where-Object { $_ -gt 127 }).Count | Should -Be 0
        $parsed = Read-Script ([System.IO.File]::ReadAllText($Path))
        $parsed.Errors | Should -BeNullOrEmpty
        Get-Ps7OnlySyntax $parsed.Ast | Should -BeNullOrEmpty
    }

    It 'the check finds each PowerShell 7 construct' -ForEach @(
        @{ Code = '$a = $b ? 1 : 2'; Want = 'ternary' }
        @{ Code = 'git status && git log'; Want = '&& / ||' }
        @{ Code = 'git status || exit 1'; Want = '&& / ||' }
        @{ Code = '$a = $b ?? 3'; Want = '??' }
        @{ Code = '$a ??= 3'; Want = '??=' }
        @{ Code = '${a}?.Name'; Want = '?. / ?[]' }
        @{ Code = '${a}?[0]'; Want = '?. / ?[]' }
        @{ Code = '1..3 | ForEach-Object -Parallel { $_ }'; Want = '-Parallel' }
    ) {
        $parsed = Read-Script $Code
        $parsed.Errors | Should -BeNullOrEmpty
        (Get-Ps7OnlySyntax $parsed.Ast) -join ';' | Should -Match ([regex]::Escape($Want))
    }

    It 'the check passes 5.1 code that looks alike' {
        $parsed = Read-Script 'if ($a) { 1 } else { 2 }; $b = "a ?? b && c"; $c = $d.Name; Write-Output "?."'
        Get-Ps7OnlySyntax $parsed.Ast | Should -BeNullOrEmpty
    }
}
