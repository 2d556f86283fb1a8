using System.Text.Json.Serialization;
using Ingestion.Handlers.Students;

namespace Ingestion.Handlers;

/// <summary>Every type this assembly (de)serializes with <see cref="System.Text.Json"/>: source-generated, no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunCounts))]
[JsonSerializable(typeof(ErrorInfo))]
[JsonSerializable(typeof(Storage.LocalFolder.ObjectMetadata))]
[JsonSerializable(typeof(Functions.IngestFile))]
[JsonSerializable(typeof(Functions.RegisterFileOutput))]
[JsonSerializable(typeof(Functions.RunSummary))]
internal sealed partial class HandlersJsonContext : JsonSerializerContext;
