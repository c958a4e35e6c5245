using System.Collections.Generic;
using System.Text;

namespace WfpBlockAgent.Service
{
    /// <summary>
    /// Builds a command line that CommandLineToArgvW and the Microsoft C runtime (what node.exe uses) split back into
    /// exactly the given arguments: quotes around arguments with spaces, tabs or quotes; a quote inside becomes \";
    /// backslashes are doubled only where they precede a quote (including the closing one), so C:\dir\ stays a
    /// path and "C:\Program Files\x\" does not swallow its closing quote.
    /// </summary>
    public static class WindowsCommandLine
    {
        public static string Join(IEnumerable<string> args)
        {
            var line = new StringBuilder();
            foreach (var arg in args)
            {
                if (line.Length > 0) line.Append(' ');
                AppendQuoted(line, arg);
            }
            return line.ToString();
        }

        public static string Quote(string arg)
        {
            var line = new StringBuilder();
            AppendQuoted(line, arg);
            return line.ToString();
        }

        private static void AppendQuoted(StringBuilder line, string arg)
        {
            if (arg.Length > 0 && arg.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                line.Append(arg);
                return;
            }
            line.Append('"');
            var backslashes = 0;
            foreach (var c in arg)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }
                if (c == '"')
                {
                    line.Append('\\', backslashes * 2 + 1);
                    line.Append('"');
                }
                else
                {
                    line.Append('\\', backslashes);
                    line.Append(c);
                }
                backslashes = 0;
            }
            line.Append('\\', backslashes * 2);
            line.Append('"');
        }
    }
}
