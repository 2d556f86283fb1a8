using System.CommandLine;
using Ingestion.Cli.Commands;

namespace Ingestion.Cli;

internal static class Program
{
    /// <summary>What <c>ingest --help</c> prints after the command list.</summary>
    private const string RootDetails = """
        Every command explains itself: ingest COMMAND --help.

        Example:
          ingest run testdata/students-mixed.json
          ingest report students-mixed.json
          ingest students list --department mathematics
        """;

    public static async Task<int> Main(string[] args)
    {
        using var signals = ConsoleSignals.Install();
        return await CliRunner.InvokeAsync(args, CliHost.FromConsole(signals.Abort), signals.Stop);
    }

    /// <summary>Every command of <c>ingest</c>.</summary>
    public static RootCommand CreateRoot(CliHost host)
    {
        var root = new RootCommand("ingest: the student-record ingestion pipeline, run locally with the same state machine definitions as on AWS.");
        // Options sit on the commands they affect, as in gh and the AWS CLI: the storage options on those that open the
        // data folder's stores, --data-dir alone where only its logs are read, neither on bench, cost and states.
        root.Subcommands.Add(BackendOptions.AddTo(RunCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(WatchCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(SyncCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(RedriveCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(FilesCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(ReportCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(StudentsCommand.Create(host)));
        root.Subcommands.Add(BackendOptions.AddTo(OutboxCommand.Create(host)));
        root.Subcommands.Add(CommandContext.AddDataDirTo(MetricsCommand.Create(host)));
        root.Subcommands.Add(BenchCommand.Create(host));
        root.Subcommands.Add(CostCommand.Create(host));
        root.Subcommands.Add(RehearseCommand.Create(host));
        root.Subcommands.Add(States.StatesCommand.Create());
        DocumentedCommand.EnableDetails(root, RootDetails);
        return root;
    }
}
