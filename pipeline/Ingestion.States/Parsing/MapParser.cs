using Ingestion.States.Errors;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Validation;

namespace Ingestion.States.Parsing;

/// <summary>Parses a Map state, inline or distributed.</summary>
internal static class MapParser
{
    public static State.Map? Parse(string name, string qualified, FieldReader fields, List<ValidationProblem> problems, QueryLanguage machineLanguage = QueryLanguage.JsonPath)
    {
        var (io, next) = StateParser.Common(fields);
        var processorField = fields.Has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        if (fields.Has("ItemProcessor") && fields.Has("Iterator"))
        {
            fields.Report("Iterator", "cannot be combined with ItemProcessor");
        }

        var processorObject = fields.ObjectField(processorField, required: true);
        if (fields.Has("ItemSelector") && fields.Has("Parameters"))
        {
            fields.Report("Parameters", "cannot be combined with ItemSelector");
        }

        var mode = ProcessorMode.Inline;
        var executionType = ChildExecutionType.Standard;
        StateGraph? graph = null;
        if (processorObject is not null)
        {
            var processorFields = new FieldReader(processorObject, qualified, problems, $"{processorField}.");
            if (processorFields.ObjectField("ProcessorConfig") is { } config)
            {
                var configFields = new FieldReader(config, qualified, problems, $"{processorField}.ProcessorConfig.");
                switch (configFields.String("Mode"))
                {
                    case null or "INLINE":
                        break;
                    case "DISTRIBUTED":
                        mode = ProcessorMode.Distributed;
                        break;
                    case var other:
                        configFields.Report("Mode", $"'{other}' must be INLINE or DISTRIBUTED");
                        break;
                }

                switch (configFields.String("ExecutionType"))
                {
                    case null when mode == ProcessorMode.Distributed:
                        configFields.Report("ExecutionType", "is required in DISTRIBUTED mode (STANDARD or EXPRESS)");
                        break;
                    case null:
                        break;
                    case "STANDARD":
                        break;
                    case "EXPRESS":
                        executionType = ChildExecutionType.Express;
                        break;
                    case var other:
                        configFields.Report("ExecutionType", $"'{other}' must be STANDARD or EXPRESS");
                        break;
                }

                if (mode == ProcessorMode.Inline && configFields.Has("ExecutionType"))
                {
                    configFields.Report("ExecutionType", "is only allowed in DISTRIBUTED mode");
                }

                configFields.ReportUnknown("a ProcessorConfig");
            }

            graph = GraphParser.Parse(processorFields, qualified, problems, machineLanguage);
            processorFields.ReportUnknown($"an {processorField}");
            if (graph is not null)
            {
                GraphValidator.Validate(graph, qualified, problems);
            }
        }

        var selectorField = fields.Has("ItemSelector") || fields.Language == QueryLanguage.Jsonata ? "ItemSelector" : "Parameters";
        var maxConcurrencyExpression = QueryFields.Expression(fields, "MaxConcurrency");
        var map = new State.Map
        {
            Name = name,
            Next = next,
            InputPath = io.Input,
            OutputPath = io.Output,
            ItemProcessor = graph ?? new StateGraph("", new Dictionary<string, State>(), null),
            Mode = mode,
            ExecutionType = executionType,
            ItemsPath = fields.ReferencePath("ItemsPath", StatePaths.Root),
            Items = Items(fields),
            ItemSelector = fields.Template(selectorField),
            MaxConcurrency = maxConcurrencyExpression is null ? fields.Integer("MaxConcurrency", min: 0) : null,
            MaxConcurrencyPath = fields.ReferencePath("MaxConcurrencyPath"),
            MaxConcurrencyExpression = maxConcurrencyExpression,
            ResultSelector = fields.Template("ResultSelector"),
            ResultPath = fields.ReferencePath("ResultPath", StatePaths.Root, nullable: true, allowContext: false),
            Retry = ErrorHandlingParser.Retriers(fields),
            Catch = ErrorHandlingParser.Catchers(fields),
        };
        if (map.Items is not null && map.ItemReader is not null)
        {
            fields.Report("Items", "cannot be combined with ItemReader");
        }

        if (fields.Has("MaxConcurrency") && map.MaxConcurrencyPath is not null)
        {
            fields.Report("MaxConcurrencyPath", "cannot be combined with MaxConcurrency");
        }

        if (mode == ProcessorMode.Inline)
        {
            foreach (var distributedOnly in (ReadOnlySpan<string>)["ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"])
            {
                if (fields.Has(distributedOnly))
                {
                    fields.MarkRead(distributedOnly);
                    fields.Report(distributedOnly, "is only allowed when ItemProcessor.ProcessorConfig.Mode is DISTRIBUTED");
                }
            }

            return graph is null ? null : map;
        }

        // AWS accepts ItemsPath beside an ItemReader: it is still applied to the state's input (a path that finds nothing
        // fails the state), but the items come from the reader.
        map = map with
        {
            ItemReader = ItemReaderParser.Parse(fields),
            ItemBatcher = ParseBatcher(fields),
            ResultWriter = ParseWriter(fields),
            Tolerance = ParseTolerance(fields),
            Label = fields.String("Label"),
        };
        return graph is null ? null : map;
    }

    /// <summary>A JSONata Map's Items: a JSON array, or an expression that must give one.</summary>
    private static Templates.PayloadTemplate? Items(FieldReader fields)
    {
        if (fields.Language != QueryLanguage.Jsonata || fields.Raw("Items") is not { } raw)
        {
            return null;
        }

        if (raw is not JArray && !(raw is JString s && Templates.JsonataQuery.IsExpression(s.Value)))
        {
            fields.Report("Items", "must be a JSON array or a JSONata expression");
            return null;
        }

        return fields.Template("Items");
    }

    private static ItemBatcherConfig? ParseBatcher(FieldReader fields)
    {
        if (fields.ObjectField("ItemBatcher") is not { } batcher)
        {
            return null;
        }

        var errors = new List<ValidationProblem>();
        var reader = new FieldReader(batcher, fields.State, errors, "ItemBatcher.") { Language = fields.Language };
        if (reader.Language == QueryLanguage.Jsonata)
        {
            foreach (var field in (ReadOnlySpan<string>)["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"])
            {
                if (reader.Has(field))
                {
                    reader.MarkRead(field);
                    reader.Report(field, $"is a JSONPath field, not allowed in a JSONata state: use {field[..^4]} with {{% %}}");
                }
            }
        }

        var maxItemsExpression = QueryFields.Expression(reader, "MaxItemsPerBatch");
        var maxItems = maxItemsExpression is null ? reader.Integer("MaxItemsPerBatch", min: 1) : null;
        var maxItemsPath = reader.ReferencePath("MaxItemsPerBatchPath");
        var maxBytesExpression = QueryFields.Expression(reader, "MaxInputBytesPerBatch");
        var maxBytes = maxBytesExpression is null ? reader.Integer("MaxInputBytesPerBatch", min: 1, max: 262_144) : null;
        var maxBytesPath = reader.ReferencePath("MaxInputBytesPerBatchPath");
        var batchInput = reader.Template("BatchInput");
        reader.ReportUnknown("ItemBatcher");
        foreach (var error in errors)
        {
            fields.Report(error.Field, error.Message);
        }

        if (maxItems is null && maxItemsPath is null && maxBytes is null && maxBytesPath is null && maxItemsExpression is null && maxBytesExpression is null)
        {
            fields.Report("ItemBatcher", "needs MaxItemsPerBatch(Path) or MaxInputBytesPerBatch(Path)");
        }

        return new ItemBatcherConfig(maxItems, maxItemsPath, maxBytes, maxBytesPath, batchInput)
        {
            MaxItemsPerBatchExpression = maxItemsExpression,
            MaxInputBytesPerBatchExpression = maxBytesExpression,
        };
    }

    private static ResultWriterConfig? ParseWriter(FieldReader fields)
    {
        if (fields.ObjectField("ResultWriter") is not { } writer)
        {
            return null;
        }

        var resource = (writer.Get("Resource") as JString)?.Value;
        var argumentsField = fields.Language == QueryLanguage.Jsonata ? "Arguments" : "Parameters";
        var exported = writer.Get("Resource") is not null || writer.Get(argumentsField) is not null;
        if (exported && resource != "arn:aws:states:::s3:putObject")
        {
            fields.Report("ResultWriter.Resource", "must be arn:aws:states:::s3:putObject");
        }

        var parameters = writer.Get(argumentsField) is { } p
            ? fields.Language == QueryLanguage.Jsonata
                ? QueryFields.CompileJsonata(p, "ResultWriter/Arguments", (f, m) => fields.Report(f.Replace('/', '.'), m))
                : Templates.PayloadTemplate.Compile(p, (f, m) => fields.Report($"ResultWriter.Parameters.{f}", m), StatesErrors.Runtime)
            : null;
        if (exported && parameters is null)
        {
            fields.Report($"ResultWriter.{argumentsField}", "is required (Bucket and Prefix)");
        }

        var config = writer.Get("WriterConfig");
        if (!exported && config is null)
        {
            fields.Report("ResultWriter", "needs Resource and Parameters, WriterConfig, or all three");
        }

        var (transformation, outputType) = ParseWriterConfig(fields, config, exported);
        foreach (var (key, _) in writer)
        {
            if (key != argumentsField && key is not ("Resource" or "WriterConfig"))
            {
                fields.Report($"ResultWriter.{key}", $"is not a field of ResultWriter (Resource, {argumentsField}, WriterConfig)");
            }
        }

        return new ResultWriterConfig(exported ? parameters ?? new Templates.PayloadTemplate.Constant(JObject.Empty) : null, transformation, outputType);
    }

    private static (ResultTransformation, ResultOutputType) ParseWriterConfig(FieldReader fields, JValue? config, bool exported)
    {
        // AWS's defaults: whole execution records when exporting, the outputs alone otherwise.
        var transformation = exported ? ResultTransformation.None : ResultTransformation.Compact;
        var outputType = ResultOutputType.Json;
        switch (config)
        {
            case null:
                return (transformation, outputType);
            case not JObject:
                fields.Report("ResultWriter.WriterConfig", "must be an object");
                return (transformation, outputType);
        }

        foreach (var (key, value) in (JObject)config)
        {
            var field = $"ResultWriter.WriterConfig.{key}";
            var text = (value as JString)?.Value;
            switch (key)
            {
                case "Transformation":
                    transformation = text switch
                    {
                        "NONE" => ResultTransformation.None,
                        "COMPACT" => ResultTransformation.Compact,
                        "FLATTEN" => ResultTransformation.Flatten,
                        _ => Report(fields, field, "must be NONE, COMPACT or FLATTEN", transformation),
                    };
                    break;
                case "OutputType":
                    outputType = text switch
                    {
                        "JSON" => ResultOutputType.Json,
                        "JSONL" => ResultOutputType.JsonLines,
                        _ => Report(fields, field, "must be JSON or JSONL", outputType),
                    };
                    break;
                default:
                    fields.Report(field, "is not a field of WriterConfig (Transformation, OutputType)");
                    break;
            }
        }

        if (!exported && (transformation == ResultTransformation.None || outputType == ResultOutputType.JsonLines))
        {
            // Without an export the results are the state's output: a JSON array of the children's outputs.
            fields.Report("ResultWriter.WriterConfig", "without Resource and Parameters, only Transformation COMPACT or FLATTEN with OutputType JSON is supported here");
        }

        return (transformation, outputType);
    }

    private static FailureTolerance ParseTolerance(FieldReader fields)
    {
        var percentageExpression = QueryFields.Expression(fields, "ToleratedFailurePercentage");
        var countExpression = QueryFields.Expression(fields, "ToleratedFailureCount");
        var percentage = percentageExpression is null ? fields.Number("ToleratedFailurePercentage", min: 0, max: 100) : null;
        var percentagePath = fields.ReferencePath("ToleratedFailurePercentagePath");
        var count = countExpression is null ? fields.Integer("ToleratedFailureCount", min: 0) : null;
        var countPath = fields.ReferencePath("ToleratedFailureCountPath");
        if (percentage is not null && percentagePath is not null)
        {
            fields.Report("ToleratedFailurePercentagePath", "cannot be combined with ToleratedFailurePercentage");
        }

        if (count is not null && countPath is not null)
        {
            fields.Report("ToleratedFailureCountPath", "cannot be combined with ToleratedFailureCount");
        }

        return new FailureTolerance(percentage, percentagePath, count, countPath) { PercentageExpression = percentageExpression, CountExpression = countExpression };
    }

    internal static T Report<T>(FieldReader fields, string field, string message, T fallback)
    {
        fields.Report(field, message);
        return fallback;
    }
}
