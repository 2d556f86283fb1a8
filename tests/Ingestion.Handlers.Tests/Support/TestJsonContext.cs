using System.Text.Json.Serialization;

namespace Ingestion.Handlers.Tests.Support;

/// <summary>What the tests serialize themselves (source-generated, as everywhere in this repository).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
