using System.Text.Json.Serialization;

namespace Ingestion.Functions;

/// <summary>Every type this assembly (de)serializes with <see cref="System.Text.Json"/>: source-generated, no reflection.</summary>
/// <remarks>Run counts and errors are the domain's shapes: <see cref="Domain.DomainJson"/> writes and reads them.</remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(IngestFile))]
[JsonSerializable(typeof(RegisterFileOutput))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(SyncDigest))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
