using System.Runtime.CompilerServices;
using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.Tests.Support;

/// <summary>
/// Fake Lambda functions and task integrations described by a case file:
/// <c>{"echo": true}</c>, <c>{"return": X}</c>, <c>{"throw": {"type", "message"}}</c>,
/// <c>{"hang": true}</c> (never completes), or <c>{"sequence": [ … ]}</c> for successive calls.
/// </summary>
internal static class Fakes
{
    private static readonly ConditionalWeakTable<StatesEngine, Dictionary<string, int>> Calls = [];

    public static int CallCount(StatesEngine engine, string name) =>
        Calls.TryGetValue(engine, out var calls) ? calls.GetValueOrDefault(name) : 0;

    public static void Register(StatesEngine engine, JObject root, VirtualTimeProvider clock)
    {
        var calls = Calls.GetOrCreateValue(engine);
        if (root.Get("functions") is JObject functions)
        {
            foreach (var (name, behaviour) in functions)
            {
                engine.Functions.Register(name, (payload, ct) => Behave(calls, name, (JObject)behaviour, payload, ct));
            }
        }

        if (root.Get("tasks") is JObject tasks)
        {
            foreach (var (resource, behaviour) in tasks)
            {
                engine.Tasks.Register(resource, (request, ct) => Behave(calls, resource, (JObject)behaviour, request.Parameters, ct));
            }
        }
    }

    private static async ValueTask<JValue> Behave(Dictionary<string, int> calls, string name, JObject behaviour, JValue payload, CancellationToken ct)
    {
        int call;
        lock (calls)
        {
            call = calls.GetValueOrDefault(name);
            calls[name] = call + 1;
        }

        if (behaviour.Get("sequence") is JArray sequence)
        {
            behaviour = (JObject)sequence[Math.Min(call, sequence.Count - 1)];
        }

        if (behaviour.Get("hang") is JBool { Value: true })
        {
            await Task.Delay(Timeout.Infinite, ct);
        }

        if (behaviour.Get("throw") is JObject thrown)
        {
            var type = ((JString)thrown.Get("type")!).Value;
            var message = (thrown.Get("message") as JString)?.Value ?? "failed";
            throw type switch
            {
                "InvalidOperationException" => new InvalidOperationException(message),
                "ArgumentException" => new ArgumentException(message),
                "TimeoutException" => new TimeoutException(message),
                _ => new StatesException(type, message),
            };
        }

        if (behaviour.Get("echo") is JBool { Value: true })
        {
            return payload;
        }

        return behaviour.Get("return") ?? JValue.Null;
    }
}
