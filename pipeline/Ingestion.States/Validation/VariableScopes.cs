using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Validation;

/// <summary>
/// AWS's scoping rule for workflow variables: a Map iteration or Parallel branch reads the variables of the scopes
/// around it but may not assign one of their names. A Distributed Map's children are executions of their own and see
/// no outer variable, so their names are free.
/// </summary>
internal static class VariableScopes
{
    public static void Validate(StateGraph graph, List<ValidationProblem> problems) =>
        Validate(graph, "", new HashSet<string>(StringComparer.Ordinal), problems);

    private static void Validate(StateGraph graph, string parent, HashSet<string> outer, List<ValidationProblem> problems)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in graph.States.Values)
        {
            var qualified = parent.Length == 0 ? state.Name : $"{parent}/{state.Name}";
            foreach (var (field, name) in Assigned(state))
            {
                own.Add(name);
                if (outer.Contains(name))
                {
                    problems.Add(new ValidationProblem(qualified, $"{field}.{name}",
                        $"assigns '{name}', a variable of an enclosing scope: a Map iteration or Parallel branch may read it but not assign it"));
                }
            }
        }

        var visible = new HashSet<string>(outer, StringComparer.Ordinal);
        visible.UnionWith(own);
        foreach (var state in graph.States.Values)
        {
            var qualified = parent.Length == 0 ? state.Name : $"{parent}/{state.Name}";
            switch (state)
            {
                case State.Parallel parallel:
                    foreach (var branch in parallel.Branches)
                    {
                        Validate(branch, qualified, visible, problems);
                    }

                    break;
                case State.Map { Mode: ProcessorMode.Distributed } map:
                    Validate(map.ItemProcessor, qualified, new HashSet<string>(StringComparer.Ordinal), problems);
                    break;
                case State.Map map:
                    Validate(map.ItemProcessor, qualified, visible, problems);
                    break;
            }
        }
    }

    /// <summary>Every variable a state can assign: its own Assign, its Catchers' and its Choice rules'.</summary>
    internal static IEnumerable<(string Field, string Name)> Assigned(State state)
    {
        foreach (var name in Names(state.Assign))
        {
            yield return ("Assign", name);
        }

        var catchers = state switch
        {
            State.Task task => task.Catch,
            State.Map map => map.Catch,
            State.Parallel parallel => parallel.Catch,
            _ => [],
        };
        for (var i = 0; i < catchers.Count; i++)
        {
            foreach (var name in Names(catchers[i].Assign))
            {
                yield return ($"Catch[{i}].Assign", name);
            }
        }

        if (state is State.Choice choice)
        {
            for (var i = 0; i < choice.Choices.Count; i++)
            {
                foreach (var name in Names(choice.Choices[i].Assign))
                {
                    yield return ($"Choices[{i}].Assign", name);
                }
            }
        }
    }

    /// <summary>The names of a compiled Assign: an object's keys (a JSONPath template's without their <c>.$</c>).</summary>
    internal static IEnumerable<string> Names(PayloadTemplate? assign) => assign switch
    {
        PayloadTemplate.ObjectTemplate obj => obj.Keys,
        PayloadTemplate.Constant { Value: JObject obj } => obj.Select(p => p.Key),
        _ => [],
    };
}
