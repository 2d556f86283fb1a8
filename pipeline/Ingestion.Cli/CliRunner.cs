using System.CommandLine;
using System.CommandLine.Invocation;
using Ingestion.Domain;
using Ingestion.Cli.Commands;
using Ingestion.Domain.Storage;

namespace Ingestion.Cli;

/// <summary>Parses and runs a command line against a host: what <c>Main</c> does, and what tests call in-process.</summary>
internal static class CliRunner
{
    /// <param name="stop">The first Ctrl+C: commands stop taking new work.</param>
    public static async Task<int> InvokeAsync(string[] args, CliHost host, CancellationToken stop = default)
    {
        var root = Program.CreateRoot(host);
        // `--input @FILE` means "read this file" to `ingest states execute`, so @response-files stay off.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (!DocumentedCommand.IsHelp(parse) && UsageErrors.Find(parse) is { Count: > 0 } problems)
        {
            // Said once, in words, with where to look next; not System.CommandLine's list and the whole help after it.
            var command = UsageErrors.CommandPath(parse);
            foreach (var problem in problems)
            {
                host.ErrorLine($"{command}: {problem}");
            }

            host.ErrorLine($"See '{command} --help'.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            // Ctrl+C is ConsoleSignals' business: two steps, no forced exit after two seconds.
            ProcessTerminationTimeout = null,
            // Storage and configuration failures are one line, below; anything else keeps its stack trace.
            EnableDefaultExceptionHandler = false,
        };
        int exit;
        try
        {
            exit = await parse.InvokeAsync(configuration, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C during a command that has no step to finish first (a long listing): stop, quietly.
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is StorageException or ConfigurationException)
        {
            // A missing table or bucket, rejected credentials, an unreachable endpoint: the message says what to do.
            host.ErrorLine($"ingest: {e.Message}");
            return e is StorageThrottledException or StorageContentionException ? ExitCodes.Failed : ExitCodes.Usage;
        }
        catch (Exception e) when (DamagedDataFolder.Explain(e, host, parse) is { } damaged)
        {
            host.ErrorLine($"ingest: {damaged}");
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            // A fault of ingest itself: one line for the user, the stack trace kept where a bug report can quote it.
            host.ErrorLine($"ingest: {UnexpectedError.Describe(e, CommandContext.Folder(host, parse))}");
            return ExitCodes.Failed;
        }

        // A command line that does not parse is a usage error, whatever System.CommandLine's default code.
        return parse.Errors.Count > 0 && parse.Action is ParseErrorAction ? ExitCodes.Usage : exit;
    }
}
