using Ingestion.Functions;
using Ingestion.Local.Definitions;
using Ingestion.States.Integrations;

namespace Ingestion.Local.Integrations;

/// <summary>
/// The four Lambda functions, invoked in-process through their Stream entry points: the same JSON in and out as on
/// AWS, each invocation with its own request id (which labels its log lines).
/// </summary>
public sealed class HandlerFunctions(
    RegisterFileFunction registerFile,
    ValidateStudentsFunction validateStudents,
    StoreStudentsFunction storeStudents,
    SummarizeRunFunction summarizeRun)
{
    public RegisterFileFunction RegisterFile { get; } = registerFile;

    public ValidateStudentsFunction ValidateStudents { get; } = validateStudents;

    public StoreStudentsFunction StoreStudents { get; } = storeStudents;

    public SummarizeRunFunction SummarizeRun { get; } = summarizeRun;

    /// <param name="wrap">Given each function's name and entry point, returns what to register instead (fault injection); null registers them as they are.</param>
    public void Register(LambdaFunctions functions, LocalResources resources, Func<string, StreamFunction, StreamFunction>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(resources);
        void Add(string name, StreamFunction function) => functions.Register(resources.FunctionArn(name), Elsewhere(wrap?.Invoke(name, function) ?? function));

        Add(LocalResources.RegisterFile, (input, ct) => RegisterFile.InvokeAsync(input, NewRequestId(), ct));
        Add(LocalResources.ValidateStudents, (input, ct) => ValidateStudents.InvokeAsync(input, NewRequestId(), ct));
        Add(LocalResources.StoreStudents, (input, ct) => StoreStudents.InvokeAsync(input, NewRequestId(), ct));
        Add(LocalResources.SummarizeRun, (input, ct) => SummarizeRun.InvokeAsync(input, NewRequestId(), ct));
    }

    private static string NewRequestId() => Guid.NewGuid().ToString();

    /// <summary>
    /// A Lambda invocation is a call to another machine: the handler (and what wraps it) never runs on the caller's
    /// thread. Inline, an execution's first task ran on the thread that delivered the event, so RegisterFile waiting
    /// inside SQLite for a lock another process held kept <c>ingest run</c> from even starting to show progress.
    /// </summary>
    private static StreamFunction Elsewhere(StreamFunction function) => async (input, ct) =>
    {
        await Task.Yield();
        return await function(input, ct);
    };
}
