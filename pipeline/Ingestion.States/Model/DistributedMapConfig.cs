using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Model;

/// <summary>A Distributed Map's ItemReader.</summary>
public sealed record ItemReaderConfig(
    string Resource,
    PayloadTemplate Parameters,
    ReaderInputType InputType,
    CsvHeaderLocation CsvHeaderLocation,
    IReadOnlyList<string>? CsvHeaders,
    char CsvDelimiter,
    int? MaxItems,
    JsonPath? MaxItemsPath);

public enum ReaderInputType
{
    /// <summary>listObjectsV2: the items are the objects under a prefix.</summary>
    Objects,
    Json,
    JsonLines,
    Csv,
}

public enum CsvHeaderLocation
{
    FirstRow,
    Given,
}

/// <summary>A Distributed Map's ItemBatcher.</summary>
public sealed record ItemBatcherConfig(
    int? MaxItemsPerBatch,
    JsonPath? MaxItemsPerBatchPath,
    int? MaxInputBytesPerBatch,
    JsonPath? MaxInputBytesPerBatchPath,
    PayloadTemplate? BatchInput);

/// <summary>A Distributed Map's ResultWriter (s3:putObject).</summary>
public sealed record ResultWriterConfig(string Resource, PayloadTemplate Parameters);

/// <summary>ToleratedFailurePercentage/Count and their paths; absent means no failure is tolerated.</summary>
public sealed record FailureTolerance(double? Percentage, JsonPath? PercentagePath, int? Count, JsonPath? CountPath)
{
    public static readonly FailureTolerance None = new(null, null, null, null);
}
