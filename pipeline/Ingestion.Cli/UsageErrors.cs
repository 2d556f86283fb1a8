using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Ingestion.Cli;

/// <summary>
/// What is wrong with a command line, said as gh and the dotnet CLI say it: a mistyped option is named as an option
/// with the nearest real one (<c>Unrecognized option '--jsn'. Did you mean '--json'?</c>), not taken for a file
/// name; a bad number is "not a whole number", not a .NET type name.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>The lines to print, each a whole sentence; empty when the command line is fine.</summary>
    public static IReadOnlyList<string> Find(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var mistyped = MistypedOptions(parse).ToList();
        var lines = mistyped.Select(word => Unrecognized(word, command)).ToList();
        foreach (var error in parse.Errors)
        {
            if (UnrecognizedToken().Match(error.Message) is { Success: true } word && FollowsAny(parse, word.Groups[1].Value, mistyped))
            {
                continue; // the value of a mistyped option: the option says it all
            }

            lines.Add(Rephrase(error.Message, command));
        }

        // Past a mistyped command the rest of the line means nothing: name that one word, as gh does.
        if (lines.FirstOrDefault(l => l.StartsWith("Unrecognized command ", StringComparison.Ordinal)) is { } mistypedCommand)
        {
            return [mistypedCommand];
        }

        // "Required command was not provided" says nothing more once another mistake is named.
        return lines.Count > 1 ? [.. lines.Distinct(StringComparer.Ordinal).Where(l => !l.StartsWith("Required command", StringComparison.Ordinal))] : lines;
    }

    /// <summary><c>ingest students list</c>: the command as the user typed it, whatever the executable's name.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult { Command: not RootCommand } commandResult; result = result.Parent)
        {
            names.Insert(0, commandResult.Command.Name);
        }

        return string.Join(' ', ["ingest", .. names]);
    }

    /// <summary>
    /// Words that look like options but went to a command's arguments (<c>ingest run FILE…</c> takes any word) or were
    /// left unmatched; words after <c>--</c> are arguments by request.
    /// </summary>
    private static IEnumerable<string> MistypedOptions(ParseResult parse)
    {
        var doubleDash = parse.Tokens.ToList().FindIndex(t => t.Type == TokenType.DoubleDash);
        var asArguments = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens);
        foreach (var token in asArguments)
        {
            var at = parse.Tokens.ToList().IndexOf(token);
            if (LooksLikeOption(token.Value) && (doubleDash < 0 || at < doubleDash))
            {
                yield return token.Value;
            }
        }

        foreach (var word in parse.UnmatchedTokens.Where(LooksLikeOption))
        {
            yield return word;
        }
    }

    /// <summary>Whether <paramref name="word"/> comes right after one of <paramref name="options"/> on the command line.</summary>
    private static bool FollowsAny(ParseResult parse, string word, List<string> options)
    {
        var tokens = parse.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Value == word && options.Contains(tokens[i - 1].Value, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool LooksLikeOption(string word) => word.Length > 1 && word[0] == '-' && !char.IsAsciiDigit(word[1]);

    private static string Rephrase(string message, Command command)
    {
        if (UnrecognizedToken().Match(message) is { Success: true } unrecognized)
        {
            return Unrecognized(unrecognized.Groups[1].Value, command);
        }

        if (CannotParse().Match(message) is { Success: true } parse)
        {
            var (value, option, type) = (parse.Groups[1].Value, parse.Groups[2].Value, parse.Groups[3].Value);
            var kind = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Decimal", StringComparison.Ordinal) ? "a number"
                : "a valid value";
            return $"{option}: '{value}' is not {kind}.";
        }

        return message;
    }

    private static string Unrecognized(string word, Command command)
    {
        var isOption = word.StartsWith('-');
        var candidates = isOption ? OptionNames(command) : command.Subcommands.Select(c => c.Name);
        var nearest = candidates.Select(name => (Name: name, Distance: Distance(word, name)))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
        var what = isOption ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
        return nearest is null ? $"Unrecognized {what} '{word}'." : $"Unrecognized {what} '{word}'. Did you mean '{nearest}'?";
    }

    /// <summary>The options a command takes: its own, and those its ancestors pass down (--help, --data-dir on a group).</summary>
    private static IEnumerable<string> OptionNames(Command command)
    {
        var options = new List<Option>(command.Options);
        var parents = new Queue<Symbol>(command.Parents);
        while (parents.TryDequeue(out var parent))
        {
            if (parent is Command ancestor)
            {
                options.AddRange(ancestor.Options.Where(o => o.Recursive));
                foreach (var next in ancestor.Parents)
                {
                    parents.Enqueue(next);
                }
            }
        }

        return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct();
    }

    /// <summary>Levenshtein distance: the fewest one-character edits from one word to the other.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.?$")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.?$")]
    private static partial Regex CannotParse();
}
