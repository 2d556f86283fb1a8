using Ingestion.Local;

namespace Ingestion.Cli;

/// <summary>
/// An exception no command expected (a fault of ingest itself): the user reads one line, what happened and where the
/// details are; the stack trace goes to <c>logs/errors.log</c> of the data folder, for a bug report.
/// </summary>
internal static class UnexpectedError
{
    public static string Describe(Exception error, LocalDataFolder folder)
    {
        var what = $"an unexpected error ({error.GetType().Name}: {error.Message.Split('\n')[0].Trim()})";
        try
        {
            if (!folder.Exists)
            {
                return $"{what}. Run it again; if it happens again, report it.";
            }

            Directory.CreateDirectory(folder.Logs);
            var log = Path.Combine(folder.Logs, "errors.log");
            File.AppendAllText(log, $"{DateTimeOffset.UtcNow:O} {error}{Environment.NewLine}");
            return $"{what}. The details are in {log}; if it happens again, report it with them.";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{what}. Run it again; if it happens again, report it.";
        }
    }
}
