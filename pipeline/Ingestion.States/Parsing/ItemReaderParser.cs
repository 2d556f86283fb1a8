using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Paths;
using Ingestion.States.Templates;

namespace Ingestion.States.Parsing;

/// <summary>Parses a Distributed Map's ItemReader: its resource, Parameters and ReaderConfig.</summary>
internal static class ItemReaderParser
{
    private const string GetObject = "arn:aws:states:::s3:getObject";
    private const string ListObjects = "arn:aws:states:::s3:listObjectsV2";

    public static ItemReaderConfig? Parse(FieldReader fields)
    {
        if (fields.ObjectField("ItemReader") is not { } reader)
        {
            return null;
        }

        var resource = (reader.Get("Resource") as JString)?.Value;
        var argumentsField = fields.Language == QueryLanguage.Jsonata ? "Arguments" : "Parameters";
        var parameters = reader.Get(argumentsField) is { } p
            ? fields.Language == QueryLanguage.Jsonata
                ? QueryFields.CompileJsonata(p, "ItemReader/Arguments", (f, m) => fields.Report(f.Replace('/', '.'), m))
                : PayloadTemplate.Compile(p, (f, m) => fields.Report($"ItemReader.Parameters.{f}", m), StatesErrors.Runtime)
            : null;
        if (parameters is null)
        {
            fields.Report($"ItemReader.{argumentsField}", "is required (Bucket and Key, or Bucket and Prefix)");
        }

        var config = reader.Get("ReaderConfig") as JObject;
        var settings = new ReaderSettings { Type = InputType(fields, resource, config) };
        foreach (var (key, value) in config ?? JObject.Empty)
        {
            ReadConfigField(fields, settings, key, value);
        }

        if (settings.Type == ReaderInputType.Csv && settings.HeaderLocation == CsvHeaderLocation.Given && settings.Headers is null)
        {
            fields.Report("ItemReader.ReaderConfig.CSVHeaders", "is required when CSVHeaderLocation is GIVEN");
        }

        foreach (var (key, _) in reader)
        {
            if (key != argumentsField && key is not ("Resource" or "ReaderConfig"))
            {
                fields.Report($"ItemReader.{key}", "is not a field of ItemReader");
            }
        }

        return new ItemReaderConfig(resource ?? "", parameters ?? new PayloadTemplate.Constant(JObject.Empty), settings.Type,
            settings.HeaderLocation, settings.Headers, settings.Delimiter, settings.MaxItems, settings.MaxItemsPath)
        {
            MaxItemsExpression = settings.MaxItemsExpression,
        };
    }

    /// <summary>What the resource reads: object listings, or one object's items in the format ReaderConfig names.</summary>
    private static ReaderInputType InputType(FieldReader fields, string? resource, JObject? config)
    {
        switch (resource)
        {
            case ListObjects:
                return ReaderInputType.Objects;
            case GetObject:
                return (config?.Get("InputType") as JString)?.Value switch
                {
                    "JSON" => ReaderInputType.Json,
                    "JSONL" => ReaderInputType.JsonLines,
                    "CSV" => ReaderInputType.Csv,
                    var other => MapParser.Report(fields, "ItemReader.ReaderConfig.InputType", $"'{other}' must be JSON, JSONL or CSV for s3:getObject", ReaderInputType.Json),
                };
            case null:
                fields.Report("ItemReader.Resource", "is required");
                return ReaderInputType.Objects;
            default:
                fields.Report("ItemReader.Resource", $"'{resource}' is not supported ({GetObject} or {ListObjects})");
                return ReaderInputType.Objects;
        }
    }

    private static void ReadConfigField(FieldReader fields, ReaderSettings settings, string key, JValue value)
    {
        var field = $"ItemReader.ReaderConfig.{key}";
        switch (key)
        {
            case "InputType":
                break;
            case "CSVHeaderLocation":
                settings.HeaderLocation = (value as JString)?.Value switch
                {
                    "FIRST_ROW" => CsvHeaderLocation.FirstRow,
                    "GIVEN" => CsvHeaderLocation.Given,
                    _ => MapParser.Report(fields, field, "must be FIRST_ROW or GIVEN", CsvHeaderLocation.FirstRow),
                };
                break;
            case "CSVHeaders":
                settings.Headers = value is JArray names && names.All(n => n is JString)
                    ? [.. names.Select(n => ((JString)n).Value)]
                    : MapParser.Report<List<string>?>(fields, field, "must be an array of strings", null);
                break;
            case "CSVDelimiter":
                settings.Delimiter = (value as JString)?.Value switch
                {
                    "COMMA" => ',',
                    "PIPE" => '|',
                    "SEMICOLON" => ';',
                    "SPACE" => ' ',
                    "TAB" => '\t',
                    _ => MapParser.Report(fields, field, "must be COMMA, PIPE, SEMICOLON, SPACE or TAB", ','),
                };
                break;
            case "MaxItems" when fields.Language == QueryLanguage.Jsonata && value is JString e && JsonataQuery.IsExpression(e.Value):
                settings.MaxItemsExpression = JsonataQuery.TryParse(e.Value, out var query, out var error)
                    ? query
                    : MapParser.Report<JsonataQuery?>(fields, field, error, null);
                break;
            case "MaxItemsPath" when fields.Language == QueryLanguage.Jsonata:
                fields.Report(field, "is a JSONPath field, not allowed in a JSONata state: use MaxItems with {% %}");
                break;
            case "MaxItems":
                settings.MaxItems = value is JNumber n && n.TryGetInt32(out var max) && max is >= 0 and <= 100_000_000
                    ? max
                    : MapParser.Report<int?>(fields, field, "must be an integer between 0 and 100000000", null);
                break;
            case "MaxItemsPath":
                settings.MaxItemsPath = value is JString s && JsonPath.TryParseReference(s.Value, out var path, out _)
                    ? path
                    : MapParser.Report<JsonPath?>(fields, field, "must be a reference path", null);
                break;
            default:
                fields.Report(field, "is not a field of ReaderConfig");
                break;
        }
    }

    /// <summary>ReaderConfig as read so far; AWS's defaults until a field says otherwise.</summary>
    private sealed class ReaderSettings
    {
        public ReaderInputType Type { get; init; }

        public CsvHeaderLocation HeaderLocation { get; set; } = CsvHeaderLocation.FirstRow;

        public List<string>? Headers { get; set; }

        public char Delimiter { get; set; } = ',';

        public int? MaxItems { get; set; }

        public JsonPath? MaxItemsPath { get; set; }

        public JsonataQuery? MaxItemsExpression { get; set; }
    }
}
