using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Model;

/// <summary>A Distributed Map's ItemReader.</summary>
internal sealed record ItemReaderConfig(
    string Resource,
    PayloadTemplate Parameters,
    ReaderInputType InputType,
    CsvHeaderLocation CsvHeaderLocation,
    IReadOnlyList<string>? CsvHeaders,
    char CsvDelimiter,
    int? MaxItems,
    JsonPath? MaxItemsPath)
{
    public JsonataQuery? MaxItemsExpression { get; init; }
}

internal enum ReaderInputType
{
    /// <summary>listObjectsV2: the items are the objects under a prefix.</summary>
    Objects,
    Json,
    JsonLines,
    Csv,
}

internal enum CsvHeaderLocation
{
    FirstRow,
    Given,
}

/// <summary>A Distributed Map's ItemBatcher.</summary>
internal sealed record ItemBatcherConfig(
    int? MaxItemsPerBatch,
    JsonPath? MaxItemsPerBatchPath,
    int? MaxInputBytesPerBatch,
    JsonPath? MaxInputBytesPerBatchPath,
    PayloadTemplate? BatchInput)
{
    public JsonataQuery? MaxItemsPerBatchExpression { get; init; }

    public JsonataQuery? MaxInputBytesPerBatchExpression { get; init; }
}

/// <summary>
/// A Distributed Map's ResultWriter: where child results are exported (s3:putObject, whose Parameters give Bucket and
/// Prefix), and in what shape (WriterConfig). Without Parameters nothing is exported and the shape applies to the
/// state's output.
/// </summary>
internal sealed record ResultWriterConfig(PayloadTemplate? Parameters, ResultTransformation Transformation, ResultOutputType OutputType)
{
    public bool Exports => Parameters is not null;
}

/// <summary>WriterConfig.Transformation: what a succeeded child's entry holds. A failed child's entry is always whole.</summary>
internal enum ResultTransformation
{
    /// <summary>The execution's record: ARN, Input, Output, status, dates (the default when exporting).</summary>
    None,

    /// <summary>The child's output alone (the default without a ResultWriter).</summary>
    Compact,

    /// <summary>The child's output alone, and an output that is an array gives one entry per element.</summary>
    Flatten,
}

/// <summary>WriterConfig.OutputType: each result file is one JSON array, or JSON Lines (one entry a line).</summary>
internal enum ResultOutputType
{
    Json,
    JsonLines,
}

/// <summary>ToleratedFailurePercentage/Count and their paths; absent means no failure is tolerated.</summary>
internal sealed record FailureTolerance(double? Percentage, JsonPath? PercentagePath, int? Count, JsonPath? CountPath)
{
    public JsonataQuery? PercentageExpression { get; init; }

    public JsonataQuery? CountExpression { get; init; }

    public static readonly FailureTolerance None = new(null, null, null, null);
}
