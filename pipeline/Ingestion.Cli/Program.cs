using System.CommandLine;

namespace Ingestion.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("ingest: run the student-record ingestion pipeline locally, with no AWS account.");
        return root.Parse(args).InvokeAsync();
    }
}
