using System.Text.Json.Serialization;

namespace Ingestion.Tools.Synthetic;

[JsonSerializable(typeof(string))]
internal sealed partial class SyntheticJsonContext : JsonSerializerContext;
