using System.Text.Json.Serialization;

namespace Ingestion.Functions.Tests.Support;

/// <summary>What the tests serialize themselves (source-generated, as everywhere in this repository).</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
