using System.CommandLine;
using Ingestion.Cli.Commands;

namespace Ingestion.Cli.Output;

/// <summary>
/// The commands a message tells the user to run next, written so that pasting them works: names quoted for a POSIX
/// shell when they hold spaces or shell characters, and the <c>--data-dir</c> of this command line carried over (the
/// hint would otherwise look in ./.ingest and find nothing).
/// </summary>
internal static class CommandHint
{
    /// <summary><c>ingest redrive 'my students.json' --data-dir ../exports/data</c>.</summary>
    public static string For(ParseResult parse, string command, params string[] arguments)
    {
        var words = new List<string> { "ingest", command };
        words.AddRange(arguments.Select(Quote));
        if (parse.GetValue(CommandContext.DataDir) is { } dataDir)
        {
            words.Add(CommandContext.DataDir.Name);
            words.Add(Quote(dataDir));
        }

        return string.Join(' ', words);
    }

    /// <summary>
    /// A word as a POSIX shell reads it back: as is when it is plain, else in single quotes; a word holding characters a
    /// terminal would act on (<see cref="TerminalText"/>) in bash's <c>$'…'</c>, where they are written as the escapes of
    /// their UTF-8 bytes (<c>\xe2\x80\xae</c>: bash's <c>\u</c> depends on the locale), so the hint is both safe to
    /// print and right to paste.
    /// </summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var plain = word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or '+' or ',' or '=');
        if (plain)
        {
            return word;
        }

        if (!word.Any(TerminalText.IsHidden))
        {
            return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        }

        var quoted = new System.Text.StringBuilder("$'");
        foreach (var c in word)
        {
            _ = c switch
            {
                '\\' or '\'' => quoted.Append('\\').Append(c),
                _ when TerminalText.IsHidden(c) => quoted.AppendJoin(string.Empty, System.Text.Encoding.UTF8.GetBytes([c]).Select(b => $"\\x{b:x2}")),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('\'').ToString();
    }
}
