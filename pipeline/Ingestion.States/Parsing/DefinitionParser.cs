using System.Text.Json;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Validation;

namespace Ingestion.States.Parsing;

/// <summary>The outcome of parsing a definition: the model when it is valid, and every problem found.</summary>
internal sealed record ParseResult(StateMachineDefinition? Definition, IReadOnlyList<ValidationProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}

/// <summary>Parses a definition once into the immutable model, collecting every problem on the way.</summary>
internal static class DefinitionParser
{
    public static ParseResult Parse(string json)
    {
        JValue root;
        try
        {
            root = JValue.Parse(json);
        }
        catch (JsonException e)
        {
            return new ParseResult(null, [new ValidationProblem("", "(definition)", $"is not valid JSON: {e.Message}")]);
        }

        return Parse(root);
    }

    public static ParseResult Parse(JValue root)
    {
        var problems = new List<ValidationProblem>();
        if (root is not JObject obj)
        {
            problems.Add(new ValidationProblem("", "(definition)", "must be a JSON object"));
            return new ParseResult(null, problems);
        }

        var fields = new FieldReader(obj, "", problems);
        var language = fields.String("QueryLanguage") switch
        {
            null or "JSONPath" => QueryLanguage.JsonPath,
            "JSONata" => QueryLanguage.Jsonata,
            var other => MapParser.Report(fields, "QueryLanguage", $"'{other}' must be JSONPath or JSONata", QueryLanguage.JsonPath),
        };
        var graph = GraphParser.Parse(fields, "", problems, language);
        var timeout = fields.Integer("TimeoutSeconds", min: 1, max: 31_536_000);
        var comment = fields.String("Comment");
        var version = fields.String("Version");
        fields.ReportUnknown("a state machine");

        if (graph is not null)
        {
            GraphValidator.Validate(graph, "", problems);
            VariableScopes.Validate(graph, problems);
        }

        var definition = graph is null ? null : new StateMachineDefinition(graph, timeout, comment, version);
        return new ParseResult(problems.Count == 0 ? definition : null, problems);
    }
}
