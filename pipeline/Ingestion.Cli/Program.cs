using System.CommandLine;
using Ingestion.Cli.Commands;

namespace Ingestion.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var signals = ConsoleSignals.Install();
        return await CliRunner.InvokeAsync(args, CliHost.FromConsole(signals.Abort), signals.Stop);
    }

    /// <summary>Every command of <c>ingest</c>.</summary>
    public static RootCommand CreateRoot(CliHost host)
    {
        var root = new RootCommand("ingest: the student-record ingestion pipeline, run locally with the same state machine definitions as on AWS.");
        root.Options.Add(CommandContext.DataDir);
        BackendOptions.AddTo(root);
        root.Subcommands.Add(RunCommand.Create(host));
        root.Subcommands.Add(WatchCommand.Create(host));
        root.Subcommands.Add(SyncCommand.Create(host));
        root.Subcommands.Add(RedriveCommand.Create(host));
        root.Subcommands.Add(FilesCommand.Create(host));
        root.Subcommands.Add(ReportCommand.Create(host));
        root.Subcommands.Add(StudentsCommand.Create(host));
        root.Subcommands.Add(OutboxCommand.Create(host));
        root.Subcommands.Add(MetricsCommand.Create(host));
        root.Subcommands.Add(BenchCommand.Create(host));
        root.Subcommands.Add(CostCommand.Create(host));
        root.Subcommands.Add(RehearseCommand.Create(host));
        root.Subcommands.Add(States.StatesCommand.Create());
        DocumentedCommand.EnableDetails(root);
        return root;
    }
}
