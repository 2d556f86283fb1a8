using Ingestion.States.Model;

namespace Ingestion.States.Validation;

/// <summary>Checks a graph's transitions: every target exists, and every state is reachable from StartAt.</summary>
internal static class GraphValidator
{
    public static void Validate(StateGraph graph, string parent, List<ValidationProblem> problems)
    {
        string Qualify(string name) => parent.Length == 0 ? name : $"{parent}/{name}";

        foreach (var state in graph.States.Values)
        {
            foreach (var (field, target) in Targets(state))
            {
                if (!graph.States.ContainsKey(target))
                {
                    problems.Add(new ValidationProblem(Qualify(state.Name), field, $"names the state '{target}', which does not exist in this scope"));
                }
            }
        }

        if (!graph.States.ContainsKey(graph.StartAt))
        {
            return;
        }

        var reached = new HashSet<string>(StringComparer.Ordinal) { graph.StartAt };
        var pending = new Stack<string>([graph.StartAt]);
        while (pending.Count > 0)
        {
            foreach (var (_, target) in Targets(graph.States[pending.Pop()]))
            {
                if (graph.States.ContainsKey(target) && reached.Add(target))
                {
                    pending.Push(target);
                }
            }
        }

        foreach (var name in graph.States.Keys)
        {
            if (!reached.Contains(name))
            {
                problems.Add(new ValidationProblem(Qualify(name), "(state)", "is unreachable from StartAt"));
            }
        }
    }

    private static IEnumerable<(string Field, string Target)> Targets(State state)
    {
        if (state.Next is { } next)
        {
            yield return ("Next", next);
        }

        var catchers = state switch
        {
            State.Task t => t.Catch,
            State.Parallel p => p.Catch,
            State.Map m => m.Catch,
            _ => [],
        };
        for (var i = 0; i < catchers.Count; i++)
        {
            yield return ($"Catch[{i}].Next", catchers[i].Next);
        }

        if (state is State.Choice choice)
        {
            for (var i = 0; i < choice.Choices.Count; i++)
            {
                yield return ($"Choices[{i}].Next", choice.Choices[i].Next);
            }

            if (choice.Default is { } fallback)
            {
                yield return ("Default", fallback);
            }
        }
    }
}
