using Ingestion.Domain.Students;

namespace Ingestion.Rehearsal;

/// <summary>What a rehearsal found: each file's run, each function's start-up, and every problem.</summary>
/// <param name="Problems">What would go wrong deployed (missing metrics, personal data in logs, failed runs); empty when none.</param>
public sealed record RehearsalReport(
    IReadOnlyList<FileRehearsal> Files,
    IReadOnlyList<FunctionTiming> Functions,
    IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>One file through the deployed workflow: the execution's status and the report's counts.</summary>
/// <param name="ReportKey">Where the report landed in the rehearsal's bucket; null when there is none.</param>
public sealed record FileRehearsal(string File, string Key, string ExecutionStatus, string? Error, string? Cause, RunCounts Counts, string? ReportKey);

/// <summary>One function's start-up as measured here (indicative only under qemu: emulation is many times slower than Graviton).</summary>
/// <param name="InitDuration">Process start to the first <c>invocation/next</c>.</param>
/// <param name="FirstInvocationDuration">The first event handed out to its result; null if never invoked.</param>
public sealed record FunctionTiming(string Name, string Handler, bool Emulated, TimeSpan InitDuration, TimeSpan? FirstInvocationDuration);
