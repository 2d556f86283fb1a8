using System.CommandLine;
using Ingestion.Domain;
using Ingestion.Local;

namespace Ingestion.Cli.Commands;

/// <summary>What the commands share: the <c>--data-dir</c> option, and opening the pipeline over it.</summary>
internal static class CommandContext
{
    /// <summary><c>--data-dir</c>, on the commands that read or write the data folder.</summary>
    public static Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = $"The local data folder: buckets under s3/, ingest.db, outbox.db, logs/. Default: ${LocalDataFolder.EnvironmentVariable}, else ./{LocalDataFolder.DefaultPath}.",
        Recursive = true,
        HelpName = "DIR",
    };

    /// <summary>Puts <c>--data-dir</c> on a command (and, being recursive, on its subcommands).</summary>
    public static Command AddDataDirTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(DataDir);
        return command;
    }

    /// <summary><c>--json</c>: machine-readable output.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };

    /// <summary><c>--limit N</c>.</summary>
    public static Option<int?> Limit(string description) => new("--limit") { Description = description, HelpName = "N" };

    public static LocalDataFolder Folder(CliHost host, ParseResult parse) =>
        LocalDataFolder.Resolve(parse.GetValue(DataDir), host.GetVariable);

    /// <summary>Opens the pipeline over the chosen data folder; a configuration that cannot work is a usage error.</summary>
    public static LocalPipeline? Open(CliHost host, ParseResult parse, out int exitCode)
    {
        try
        {
            var options = BackendOptions.Apply(parse, LocalPipelineOptions.FromEnvironment(parse.GetValue(DataDir), host.GetVariable));
            options = host.Configure?.Invoke(options) ?? options;
            exitCode = ExitCodes.Success;
            return LocalPipeline.Open(options);
        }
        catch (Exception e) when (e is ConfigurationException or IOException or UnauthorizedAccessException or Domain.Storage.StorageException)
        {
            host.ErrorLine($"ingest: {e.Message}");
            exitCode = ExitCodes.Usage;
            return null;
        }
    }

    /// <summary>
    /// For the commands that only read what earlier runs left: opens the pipeline, or, when the data folder does not
    /// exist yet, says so instead of creating it and returns null with <paramref name="exitWhenEmpty"/>.
    /// </summary>
    public static LocalPipeline? OpenExisting(CliHost host, ParseResult parse, int exitWhenEmpty, out int exitCode)
    {
        if (HasData(host, parse))
        {
            return Open(host, parse, out exitCode);
        }

        exitCode = exitWhenEmpty;
        return null;
    }

    /// <summary>A <c>--limit</c> below 1 is a usage error, said as coming from <paramref name="command"/>.</summary>
    public static bool IsValidLimit(CliHost host, string command, int? limit)
    {
        if (limit is < 1)
        {
            host.ErrorLine($"{command}: --limit must be 1 or more.");
            return false;
        }

        return true;
    }

    /// <summary>When the data folder does not exist yet, says so instead of creating it.</summary>
    public static bool HasData(CliHost host, ParseResult parse)
    {
        var folder = Folder(host, parse);
        if (folder.Exists)
        {
            return true;
        }

        host.ErrorLine($"ingest: nothing has been ingested in {folder.Root} yet (try: ingest run FILE, or --data-dir DIR).");
        return false;
    }
}
