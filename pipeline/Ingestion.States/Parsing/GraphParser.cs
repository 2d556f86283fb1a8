using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Validation;

namespace Ingestion.States.Parsing;

/// <summary>Parses StartAt + States (the top level, a branch, an ItemProcessor).</summary>
internal static class GraphParser
{
    public static StateGraph? Parse(FieldReader fields, string parent, List<ValidationProblem> problems, QueryLanguage language = QueryLanguage.JsonPath)
    {
        var startAt = fields.String("StartAt", required: true);
        var statesObject = fields.ObjectField("States", required: true);
        var comment = fields.String("Comment");
        if (statesObject is null)
        {
            return null;
        }

        var states = new Dictionary<string, State>(StringComparer.Ordinal);
        foreach (var (name, value) in statesObject)
        {
            var qualified = parent.Length == 0 ? name : $"{parent}/{name}";
            if (name.Length is 0 or > 80)
            {
                problems.Add(new ValidationProblem(qualified, "(name)", "a state name must have 1 to 80 characters"));
            }

            if (value is not JObject stateObject)
            {
                problems.Add(new ValidationProblem(qualified, "(state)", "must be a JSON object"));
                continue;
            }

            var state = StateParser.Parse(name, qualified, stateObject, problems, language);
            if (state is not null)
            {
                states[name] = state;
            }
        }

        if (statesObject.Count == 0)
        {
            fields.Report("States", "must contain at least one state");
        }

        if (startAt is null)
        {
            return null;
        }

        if (!statesObject.TryGetValue(startAt, out _))
        {
            fields.Report("StartAt", $"names the state '{startAt}', which does not exist");
            return null;
        }

        return new StateGraph(startAt, states, comment);
    }
}
