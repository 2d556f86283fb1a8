using System.CommandLine;

namespace Ingestion.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ingest: run the student-record ingestion pipeline locally, with no AWS account.");
        root.Subcommands.Add(States.StatesCommand.Create());
        // `--input @FILE` means "read this file" to us, so System.CommandLine's @response-files stay off.
        return root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }).InvokeAsync();
    }
}
