using System.Text.Json.Serialization;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local;

namespace Ingestion.Tools.Synthetic;

[JsonSerializable(typeof(string))]
internal sealed partial class SyntheticJsonContext : JsonSerializerContext;
