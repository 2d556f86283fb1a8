using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Ingestion.Cli.Commands;

/// <summary>
/// A command with a one-line description (what <c>ingest --help</c> lists) and details (what it does, exit codes,
/// an example) that only its own <c>--help</c> prints, after the usage.
/// </summary>
internal sealed class DocumentedCommand(string name, string description, string details) : Command(name, description)
{
    public string Details { get; } = details;

    /// <summary>Makes <c>--help</c> print a documented command's details after the usual help.</summary>
    public static void EnableDetails(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction standard } help)
            {
                help.Action = new DetailedHelpAction(standard);
            }
        }
    }

    private sealed class DetailedHelpAction(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            if (parseResult.CommandResult.Command is DocumentedCommand documented)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(documented.Details.TrimEnd());
                output.WriteLine();
            }

            return exit;
        }
    }
}
