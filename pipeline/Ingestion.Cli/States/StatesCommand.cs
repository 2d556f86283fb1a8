using System.CommandLine;

namespace Ingestion.Cli.States;

/// <summary><c>ingest states …</c>: validate and execute state machine definitions with the local interpreter.</summary>
internal static class StatesCommand
{
    /// <summary>Exit code for an invalid definition or a usage error.</summary>
    public const int UsageExitCode = 2;

    public static Command Create()
    {
        var command = new Command("states", "Validate and run Amazon States Language definitions with the in-process interpreter.");
        command.Subcommands.Add(ValidateCommand.Create());
        command.Subcommands.Add(ExecuteCommand.Create());
        return command;
    }
}
