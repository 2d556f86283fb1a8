using System.Diagnostics.CodeAnalysis;
using Ingestion.States.Errors;

namespace Ingestion.States.Integrations;

/// <summary>
/// Maps Task resource ARNs to handlers. A registration is an exact ARN
/// (<c>arn:aws:states:::sns:publish</c>, <c>arn:aws:states:::states:startExecution.sync:2</c>) or a
/// prefix ending in <c>:</c> or <c>*</c> (<c>arn:aws:states:::aws-sdk:sns:</c> for every SNS action);
/// the exact one wins, then the longest prefix. Registering a resource again replaces its handler.
/// </summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, TaskHandler> _exact = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, TaskHandler>> _prefixes = [];

    public TaskRegistry Register(string resource, TaskHandler handler)
    {
        if (resource.EndsWith('*') || resource.EndsWith(':'))
        {
            var prefix = resource.TrimEnd('*');
            _prefixes.RemoveAll(p => p.Key == prefix);
            _prefixes.Add(new(prefix, handler));
        }
        else
        {
            _exact[resource] = handler;
        }

        _prefixes.Sort((a, b) => b.Key.Length.CompareTo(a.Key.Length));
        return this;
    }

    /// <summary>Registers a synchronous JSON-in/JSON-out handler.</summary>
    public TaskRegistry Register(string resource, Func<Json.JValue, Json.JValue> handler) =>
        Register(resource, (request, _) => ValueTask.FromResult(handler(request.Parameters)));

    public bool TryResolve(string resource, [NotNullWhen(true)] out TaskHandler? handler)
    {
        if (_exact.TryGetValue(resource, out handler))
        {
            return true;
        }

        foreach (var (prefix, candidate) in _prefixes)
        {
            if (resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                handler = candidate;
                return true;
            }
        }

        handler = null;
        return false;
    }

    public TaskHandler Resolve(string resource) =>
        TryResolve(resource, out var handler)
            ? handler
            : throw new StatesException(StatesErrors.Runtime,
                $"No task handler is registered for the resource '{resource}'. Register one with TaskRegistry.Register(\"{resource}\", handler).");
}
