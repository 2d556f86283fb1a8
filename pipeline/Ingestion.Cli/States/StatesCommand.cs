using System.CommandLine;

namespace Ingestion.Cli.States;

/// <summary><c>ingest states …</c>: validate and execute state machine definitions with the local interpreter.</summary>
internal static class StatesCommand
{
    /// <summary>Exit code for an invalid definition or a usage error.</summary>
    public const int UsageExitCode = 2;

    public static Command Create()
    {
        var command = new Commands.DocumentedCommand("states", "Validate and run Amazon States Language definitions with the in-process interpreter.", """
            Check and run any Amazon States Language definition with the project's own interpreter, the one that runs
            the pipeline's definitions locally: ingest states validate FILE, ingest states execute DEFINITION.

            Example:
              ingest states validate pipeline/definitions/ingest-file.asl.json
            """);
        command.Subcommands.Add(ValidateCommand.Create());
        command.Subcommands.Add(ExecuteCommand.Create());
        return command;
    }
}
