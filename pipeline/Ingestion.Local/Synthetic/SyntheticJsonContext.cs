using System.Text.Json.Serialization;

namespace Ingestion.Local.Synthetic;

[JsonSerializable(typeof(string))]
internal sealed partial class SyntheticJsonContext : JsonSerializerContext;
