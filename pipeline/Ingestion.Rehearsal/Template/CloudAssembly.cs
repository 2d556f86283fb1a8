using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ingestion.Rehearsal.Template;

/// <summary>
/// A synthesized CDK app (<c>cdk.out</c>): its stack template with every reference resolved to the rehearsal's
/// resources, and the staged assets the functions' packages are zipped from.
/// </summary>
public sealed partial class CloudAssembly
{
    private readonly JsonObject _resources;
    private readonly Intrinsics _intrinsics;
    private readonly RehearsalResources _names;

    private CloudAssembly(string directory, string templatePath, JsonObject template)
    {
        Directory = directory;
        TemplatePath = templatePath;
        _resources = template["Resources"] as JsonObject ?? throw new TemplateException($"{templatePath} has no Resources.");
        _names = new RehearsalResources(_resources);
        _intrinsics = new Intrinsics(_names);
    }

    public string Directory { get; }

    public string TemplatePath { get; }

    /// <summary>Reads the one stack template of <paramref name="directory"/> (<c>*.template.json</c>).</summary>
    public static CloudAssembly Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new TemplateException($"'{directory}' does not exist: synthesize the CDK app first (cdk synth, or CDK_OUTDIR=… dotnet run --project cdk/Ingestion.Cdk).");
        }

        var templates = System.IO.Directory.GetFiles(directory, "*.template.json");
        var path = templates.Length == 1 ? templates[0]
            : throw new TemplateException($"'{directory}' holds {templates.Length} stack templates; the rehearsal takes exactly one.");
        return new CloudAssembly(directory, path, JsonNode.Parse(File.ReadAllText(path))!.AsObject());
    }

    public string Region { get; } = RehearsalResources.Region;

    public string AccountId { get; } = RehearsalResources.AccountId;

    private IEnumerable<(string Id, JsonObject Properties)> OfType(string type) =>
        _resources.Where(r => r.Value?["Type"]?.GetValue<string>() == type)
            .Select(r => (r.Key, r.Value!["Properties"] as JsonObject ?? []));

    /// <summary>The functions with their packages and environments.</summary>
    public IReadOnlyList<FunctionSpec> Functions() => [.. OfType("AWS::Lambda::Function").Select(f => Function(f.Id, f.Properties))];

    /// <summary>Each table's CreateTable shape: name, key schema, attribute definitions and GSIs, resolved.</summary>
    public IReadOnlyList<JsonObject> Tables() =>
        [.. OfType("AWS::DynamoDB::Table").Select(t =>
        {
            var resolved = (JsonObject)_intrinsics.Resolve(t.Properties, t.Id)!;
            resolved["TableName"] = _names.Ref(t.Id);
            return resolved;
        })];

    /// <summary>The bucket names.</summary>
    public IReadOnlyList<string> Buckets() => [.. OfType("AWS::S3::Bucket").Select(b => _names.Ref(b.Id))];

    /// <summary>The topic ARNs.</summary>
    public IReadOnlyList<string> Topics() => [.. OfType("AWS::SNS::Topic").Select(t => _names.Ref(t.Id))];

    /// <summary>The event rules with a pattern (not schedules): pattern JSON and the ARNs of their targets.</summary>
    public IReadOnlyList<(string Id, string Pattern, IReadOnlyList<string> Targets)> PatternRules() =>
        [.. OfType("AWS::Events::Rule").Where(r => r.Properties.ContainsKey("EventPattern")).Select(r =>
        {
            var pattern = _intrinsics.Resolve(r.Properties["EventPattern"], r.Id + ".EventPattern")!.ToJsonString();
            var targets = (r.Properties["Targets"] as JsonArray ?? []).Select((t, i) =>
            {
                if (t!["InputTransformer"] is not null || t["InputPath"] is not null || t["Input"] is not null)
                {
                    throw new TemplateException($"{r.Id}.Targets[{i}]: the rehearsal passes the event as it is; the target reshapes it.");
                }

                return _intrinsics.ResolveString(t["Arn"], $"{r.Id}.Targets[{i}].Arn");
            }).ToList();
            return (r.Id, pattern, (IReadOnlyList<string>)targets);
        })];

    /// <summary>The ARNs of every state machine of the template.</summary>
    public IReadOnlyList<string> StateMachineArns() => [.. OfType("AWS::StepFunctions::StateMachine").Select(m => _names.Ref(m.Id))];

    /// <summary>The state machine of this ARN: its name and definition, substitutions made.</summary>
    /// <exception cref="TemplateException">A <c>${Placeholder}</c> is left in the definition once the substitutions are made.</exception>
    public (string Name, string Definition) StateMachine(string arn)
    {
        var (id, properties) = OfType("AWS::StepFunctions::StateMachine").FirstOrDefault(m => _names.Ref(m.Id) == arn);
        if (id is null)
        {
            throw new TemplateException($"No state machine of the template has the ARN {arn}.");
        }

        var text = _intrinsics.ResolveString(properties["DefinitionString"], id + ".DefinitionString");
        var substitutions = (properties["DefinitionSubstitutions"] as JsonObject ?? [])
            .ToDictionary(s => s.Key, s => _intrinsics.ResolveString(s.Value, $"{id}.DefinitionSubstitutions.{s.Key}"));
        var substituted = Placeholder().Replace(text, m => substitutions.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);
        var left = Placeholder().Matches(substituted).Select(m => m.Value).Distinct().ToList();
        if (left.Count > 0)
        {
            throw new TemplateException($"{id}: the definition names {string.Join(", ", left)}, which DefinitionSubstitutions does not give.");
        }

        return (_intrinsics.ResolveString(properties["StateMachineName"] ?? id, id + ".StateMachineName"), substituted);
    }

    /// <summary>Every metric of <paramref name="metricsNamespace"/> the dashboards and alarms read: name and dimension names.</summary>
    public IReadOnlySet<(string Name, string Dimensions)> WatchedMetrics(string metricsNamespace)
    {
        var watched = new HashSet<(string, string)>();
        foreach (var (id, alarm) in OfType("AWS::CloudWatch::Alarm"))
        {
            var resolved = _intrinsics.Resolve(alarm, id)!;
            foreach (var stat in Descendants(resolved).OfType<JsonObject>().Where(o => o.ContainsKey("MetricName") && o.ContainsKey("Namespace")))
            {
                if (stat["Namespace"]!.GetValue<string>() == metricsNamespace)
                {
                    var dimensions = (stat["Dimensions"] as JsonArray ?? []).Select(d => d!["Name"]!.GetValue<string>());
                    watched.Add((stat["MetricName"]!.GetValue<string>(), DimensionKey(dimensions)));
                }
            }
        }

        foreach (var (id, dashboard) in OfType("AWS::CloudWatch::Dashboard"))
        {
            var body = JsonNode.Parse(_intrinsics.ResolveString(dashboard["DashboardBody"], id + ".DashboardBody"))!;
            // Dashboard metrics: [namespace, name, dim1, value1, …, {options}], or [".", name, …] repeating the row above.
            foreach (var metrics in Descendants(body).OfType<JsonObject>().Select(o => o["metrics"]).OfType<JsonArray>())
            {
                string? previous = null;
                foreach (var row in metrics.OfType<JsonArray>())
                {
                    var parts = row.OfType<JsonValue>().Select(v => v.ToString()).ToList();
                    if (parts.Count < 2)
                    {
                        continue;
                    }

                    var ns = parts[0] == "." ? previous : parts[0];
                    previous = ns;
                    if (ns == metricsNamespace)
                    {
                        watched.Add((parts[1], DimensionKey(parts.Skip(2).Where((_, i) => i % 2 == 0))));
                    }
                }
            }
        }

        return watched;
    }

    /// <summary>A dimension set as one comparable text: names sorted, comma separated.</summary>
    public static string DimensionKey(IEnumerable<string> names) => string.Join(",", names.Order(StringComparer.Ordinal));

    private FunctionSpec Function(string id, JsonObject properties)
    {
        var where = id + ".Properties";
        var key = _intrinsics.ResolveString(properties["Code"]?["S3Key"], where + ".Code.S3Key");
        var package = Path.Combine(Directory, "asset." + Path.GetFileNameWithoutExtension(key));
        var variables = (_intrinsics.Resolve(properties["Environment"]?["Variables"], where + ".Environment.Variables") as JsonObject ?? [])
            .ToDictionary(v => v.Key, v => v.Value!.ToString(), StringComparer.Ordinal);
        var architecture = (properties["Architectures"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() ?? "x86_64";
        return new FunctionSpec(
            id,
            _names.Ref(id),
            _names.Attribute(id, "Arn"),
            properties["Runtime"]?.GetValue<string>() ?? "",
            architecture,
            properties["Handler"]?.GetValue<string>() ?? "",
            properties["MemorySize"]?.GetValue<int>() ?? 128,
            properties["Timeout"]?.GetValue<int>() ?? 3,
            package,
            variables);
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
