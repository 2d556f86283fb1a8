using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Ingestion.States.Json;

namespace Ingestion.States.Mocking;

/// <summary>One mocked outcome of a Task call: a result to return or an error to throw.</summary>
public abstract record MockedResponse
{
    private MockedResponse()
    {
    }

    public sealed record Return(JValue Value) : MockedResponse;

    public sealed record Throw(string Error, string? Cause) : MockedResponse;
}

/// <summary>
/// A mock configuration file in AWS Step Functions Local's format:
/// <c>StateMachines.&lt;name&gt;.TestCases.&lt;case&gt;.&lt;state&gt;</c> names a key of
/// <c>MockedResponses</c>, whose entries <c>"0"</c>, <c>"1-2"</c>… give the response of each
/// successive call (0-based, retries included) as <c>Return</c> or <c>Throw</c>.
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _machines;
    private readonly Dictionary<string, SortedList<int, (int Last, MockedResponse Response)>> _responses;

    private MockConfig(
        Dictionary<string, Dictionary<string, Dictionary<string, string>>> machines,
        Dictionary<string, SortedList<int, (int Last, MockedResponse Response)>> responses)
    {
        _machines = machines;
        _responses = responses;
    }

    public static MockConfig Parse(string json) => Parse(JValue.Parse(json));

    public static MockConfig Parse(JValue root)
    {
        if (root is not JObject obj)
        {
            throw new FormatException("A mock configuration must be a JSON object with StateMachines and MockedResponses.");
        }

        var machines = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        if (obj.Get("StateMachines") is JObject machineObjects)
        {
            foreach (var (machine, value) in machineObjects)
            {
                var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
                if ((value as JObject)?.Get("TestCases") is JObject testCases)
                {
                    foreach (var (testCase, states) in testCases)
                    {
                        cases[testCase] = states is JObject stateMap
                            ? stateMap.ToDictionary(p => p.Key, p => (p.Value as JString)?.Value
                                ?? throw new FormatException($"StateMachines.{machine}.TestCases.{testCase}.{p.Key} must name a mocked response."), StringComparer.Ordinal)
                            : throw new FormatException($"StateMachines.{machine}.TestCases.{testCase} must be an object.");
                    }
                }

                machines[machine] = cases;
            }
        }

        var responses = new Dictionary<string, SortedList<int, (int, MockedResponse)>>(StringComparer.Ordinal);
        if (obj.Get("MockedResponses") is JObject responseObjects)
        {
            foreach (var (name, value) in responseObjects)
            {
                var list = new SortedList<int, (int, MockedResponse)>();
                foreach (var (range, entry) in value as JObject ?? throw new FormatException($"MockedResponses.{name} must be an object."))
                {
                    var (first, last) = ParseRange(name, range);
                    list[first] = (last, ParseResponse(name, range, entry));
                }

                responses[name] = list;
            }
        }

        return new MockConfig(machines, responses);
    }

    public bool HasTestCase(string stateMachine, string testCase) =>
        _machines.TryGetValue(stateMachine, out var cases) && cases.ContainsKey(testCase);

    /// <summary>The test case's mocks for one state machine, or null when the case is unknown.</summary>
    public MockedTestCase? For(string stateMachine, string testCase)
    {
        if (!_machines.TryGetValue(stateMachine, out var cases) || !cases.TryGetValue(testCase, out var states))
        {
            return null;
        }

        return new MockedTestCase(testCase, states, _responses);
    }

    private static (int First, int Last) ParseRange(string name, string range)
    {
        var dash = range.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 && int.TryParse(range, NumberStyles.None, CultureInfo.InvariantCulture, out var single))
        {
            return (single, single);
        }

        if (dash > 0 && int.TryParse(range.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(range.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last) && last >= first)
        {
            return (first, last);
        }

        throw new FormatException($"MockedResponses.{name}: '{range}' is not a call number or range such as \"0\" or \"1-2\".");
    }

    private static MockedResponse ParseResponse(string name, string range, JValue entry)
    {
        if (entry is JObject obj && obj.Get("Return") is { } value)
        {
            return new MockedResponse.Return(value);
        }

        if (entry is JObject obj2 && obj2.Get("Throw") is JObject thrown && thrown.Get("Error") is JString error)
        {
            return new MockedResponse.Throw(error.Value, (thrown.Get("Cause") as JString)?.Value);
        }

        throw new FormatException($"MockedResponses.{name}.{range} must hold Return or Throw {{\"Error\", \"Cause\"}}.");
    }

    internal static bool TryFind(SortedList<int, (int Last, MockedResponse Response)> list, int call, [NotNullWhen(true)] out MockedResponse? response)
    {
        foreach (var (first, (last, candidate)) in list)
        {
            if (call >= first && call <= last)
            {
                response = candidate;
                return true;
            }
        }

        response = null;
        return false;
    }
}

/// <summary>The mocks of one test case, with the per-state call counters of one execution.</summary>
public sealed class MockedTestCase
{
    private readonly Dictionary<string, string> _states;
    private readonly Dictionary<string, SortedList<int, (int Last, MockedResponse Response)>> _responses;
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    internal MockedTestCase(string name, Dictionary<string, string> states, Dictionary<string, SortedList<int, (int Last, MockedResponse Response)>> responses)
    {
        Name = name;
        _states = states;
        _responses = responses;
    }

    public string Name { get; }

    /// <summary>A fresh copy with its own counters, for one execution.</summary>
    internal MockedTestCase Fresh() => new(Name, _states, _responses);

    public bool IsMocked(string state) => _states.ContainsKey(state);

    /// <summary>The response for the next call of <paramref name="state"/>.</summary>
    internal MockedResponse Next(string state)
    {
        var responseName = _states[state];
        int call;
        lock (_calls)
        {
            call = _calls.GetValueOrDefault(state);
            _calls[state] = call + 1;
        }

        if (!_responses.TryGetValue(responseName, out var list))
        {
            throw Errors.StatesException.Runtime($"The mocked response '{responseName}' for the state '{state}' is not defined in MockedResponses.");
        }

        return MockConfig.TryFind(list, call, out var response)
            ? response
            : throw Errors.StatesException.Runtime($"The mocked response '{responseName}' has no entry for call {call} of the state '{state}'.");
    }
}
