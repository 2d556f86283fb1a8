using Ingestion.States.Json;
using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Model;

/// <summary>
/// A state of the machine: the closed set of the States Language's types. Paths that the
/// definition sets to JSON null are held as <c>null</c> here (input or output discarded);
/// absent paths default to <c>$</c>.
/// </summary>
internal abstract record State
{
    private State()
    {
    }

    public required string Name { get; init; }

    public string? Comment { get; init; }

    /// <summary>The next state, or null when the state ends its graph.</summary>
    public string? Next { get; init; }

    public bool End => Next is null;

    public JsonPath? InputPath { get; init; } = StatePaths.Root;

    public JsonPath? OutputPath { get; init; } = StatePaths.Root;

    public abstract string TypeName { get; }

    /// <summary>JSONPath, or JSONata for a state (or a machine) that says so.</summary>
    public QueryLanguage QueryLanguage { get; init; } = QueryLanguage.JsonPath;

    public bool IsJsonata => QueryLanguage == QueryLanguage.Jsonata;

    /// <summary>The workflow variables the state assigns when it succeeds: a JSONPath template (<c>name.$</c>) or JSONata.</summary>
    public PayloadTemplate? Assign { get; init; }

    /// <summary>JSONata only: the state's output, in place of ResultSelector, ResultPath and OutputPath.</summary>
    public PayloadTemplate? Output { get; init; }

    public sealed record Pass : State
    {
        public override string TypeName => "Pass";

        public JValue? Result { get; init; }

        public PayloadTemplate? Parameters { get; init; }

        public JsonPath? ResultPath { get; init; } = StatePaths.Root;
    }

    public sealed record Task : State
    {
        public override string TypeName => "Task";

        public required string Resource { get; init; }

        /// <summary>Parameters, or a JSONata state's Arguments.</summary>
        public PayloadTemplate? Parameters { get; init; }

        public PayloadTemplate? ResultSelector { get; init; }

        public JsonPath? ResultPath { get; init; } = StatePaths.Root;

        public IReadOnlyList<Retrier> Retry { get; init; } = [];

        public IReadOnlyList<Catcher> Catch { get; init; } = [];

        public int? TimeoutSeconds { get; init; }

        public JsonPath? TimeoutSecondsPath { get; init; }

        public JsonataQuery? TimeoutSecondsExpression { get; init; }

        public int? HeartbeatSeconds { get; init; }

        public JsonPath? HeartbeatSecondsPath { get; init; }

        public JsonataQuery? HeartbeatSecondsExpression { get; init; }
    }

    public sealed record Choice : State
    {
        public override string TypeName => "Choice";

        public required IReadOnlyList<ChoiceBranch> Choices { get; init; }

        public string? Default { get; init; }
    }

    public sealed record Wait : State
    {
        public override string TypeName => "Wait";

        public int? Seconds { get; init; }

        public JsonPath? SecondsPath { get; init; }

        public DateTimeOffset? Timestamp { get; init; }

        public JsonPath? TimestampPath { get; init; }

        public JsonataQuery? SecondsExpression { get; init; }

        public JsonataQuery? TimestampExpression { get; init; }
    }

    public sealed record Succeed : State
    {
        public override string TypeName => "Succeed";
    }

    public sealed record Fail : State
    {
        public override string TypeName => "Fail";

        public string? Error { get; init; }

        /// <summary>A reference path or an intrinsic call, compiled like a <c>.$</c> field.</summary>
        public PayloadTemplate? ErrorPath { get; init; }

        public string? Cause { get; init; }

        public PayloadTemplate? CausePath { get; init; }
    }

    public sealed record Parallel : State
    {
        public override string TypeName => "Parallel";

        public required IReadOnlyList<StateGraph> Branches { get; init; }

        /// <summary>Parameters, or a JSONata state's Arguments.</summary>
        public PayloadTemplate? Parameters { get; init; }

        public PayloadTemplate? ResultSelector { get; init; }

        public JsonPath? ResultPath { get; init; } = StatePaths.Root;

        public IReadOnlyList<Retrier> Retry { get; init; } = [];

        public IReadOnlyList<Catcher> Catch { get; init; } = [];
    }

    public sealed record Map : State
    {
        public override string TypeName => "Map";

        public required StateGraph ItemProcessor { get; init; }

        public ProcessorMode Mode { get; init; } = ProcessorMode.Inline;

        public ChildExecutionType ExecutionType { get; init; } = ChildExecutionType.Standard;

        public JsonPath? ItemsPath { get; init; } = StatePaths.Root;

        /// <summary>JSONata only: the items, a JSON array or an expression (the state's input when absent).</summary>
        public PayloadTemplate? Items { get; init; }

        /// <summary>ItemSelector, or the older Parameters: they mean the same.</summary>
        public PayloadTemplate? ItemSelector { get; init; }

        public int? MaxConcurrency { get; init; }

        public JsonPath? MaxConcurrencyPath { get; init; }

        public JsonataQuery? MaxConcurrencyExpression { get; init; }

        public PayloadTemplate? ResultSelector { get; init; }

        public JsonPath? ResultPath { get; init; } = StatePaths.Root;

        public IReadOnlyList<Retrier> Retry { get; init; } = [];

        public IReadOnlyList<Catcher> Catch { get; init; } = [];

        /// <summary>Distributed mode only.</summary>
        public ItemReaderConfig? ItemReader { get; init; }

        public ItemBatcherConfig? ItemBatcher { get; init; }

        public ResultWriterConfig? ResultWriter { get; init; }

        public FailureTolerance Tolerance { get; init; } = FailureTolerance.None;

        public string? Label { get; init; }
    }
}

internal enum ProcessorMode
{
    Inline,
    Distributed,
}

internal enum ChildExecutionType
{
    Standard,
    Express,
}

internal enum QueryLanguage
{
    JsonPath,
    Jsonata,
}

internal static class StatePaths
{
    public static readonly JsonPath Root = JsonPath.Parse("$");
}
