using System.Text.Json.Serialization;
using Ingestion.Storage.Local.Folder;

namespace Ingestion.Storage.Local;

/// <summary>Every type this assembly (de)serializes with <see cref="System.Text.Json"/>: source-generated, no reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ObjectMetadata))]
internal sealed partial class LocalStorageJsonContext : JsonSerializerContext;
