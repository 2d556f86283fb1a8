namespace Ingestion.Cli;

/// <summary>The exit codes every command uses.</summary>
internal static class ExitCodes
{
    /// <summary>Everything succeeded (rejected records are not a failure).</summary>
    public const int Success = 0;

    /// <summary>An execution did not succeed (e.g. a quarantined file), or what was asked for does not exist.</summary>
    public const int Failed = 1;

    /// <summary>A usage error: bad arguments, a missing input file, a configuration that cannot work.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
