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

    /// <summary>Makes <c>--help</c> print a documented command's details after the usual help, and the root's own.</summary>
    public static void EnableDetails(RootCommand root, string rootDetails)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction standard } help)
            {
                help.Action = new DetailedHelpAction(standard, rootDetails);
            }
        }
    }

    /// <summary>Whether the command line asks for help (which then wins over anything wrong with the rest of it).</summary>
    public static bool IsHelp(ParseResult parse) => parse?.Action is DetailedHelpAction or HelpAction;

    private sealed class DetailedHelpAction(HelpAction standard, string rootDetails) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exit = standard.Invoke(parseResult);
            var details = parseResult.CommandResult.Command switch
            {
                DocumentedCommand documented => documented.Details,
                RootCommand => rootDetails,
                _ => null,
            };
            if (details is not null)
            {
                var output = parseResult.InvocationConfiguration.Output;
                output.WriteLine(details.TrimEnd());
                output.WriteLine();
            }

            return exit;
        }
    }
}
