using System.Collections.Concurrent;
using Ingestion.States.Integrations;
using Ingestion.States.Json;
using Ingestion.States.Runtime;

namespace Ingestion.States;

/// <summary>
/// Runs state machines in-process: register integrations, then start executions.
/// </summary>
/// <example>
/// <code>
/// var engine = new StatesEngine();
/// engine.Functions.Register("Validate", payload => payload);
/// var machine = StateMachine.Load("IngestFile", File.ReadAllText("ingest.asl.json"));
/// var result = await engine.Start(machine, JValue.Parse("{}")).WaitAsync();
/// </code>
/// </example>
public sealed class StatesEngine
{
    private readonly ConcurrentDictionary<string, Execution> _executions = new(StringComparer.Ordinal);

    public StatesEngine(StatesEngineOptions? options = null)
    {
        Options = options ?? new StatesEngineOptions();
        Tasks.Register(LambdaIntegration.InvokeResource, LambdaIntegration.Invoke(Functions));
        Tasks.Register(LambdaIntegration.BareFunctionPrefix + "*", LambdaIntegration.BareFunction(Functions));
    }

    public StatesEngineOptions Options { get; }

    /// <summary>Task integrations by resource ARN (lambda:invoke and bare Lambda ARNs are pre-registered).</summary>
    public TaskRegistry Tasks { get; } = new();

    /// <summary>The Lambda functions behind lambda:invoke and bare function ARNs.</summary>
    public LambdaFunctions Functions { get; } = new();

    public string StateMachineArn(StateMachine machine) =>
        $"arn:aws:states:{Options.Region}:{Options.AccountId}:stateMachine:{machine.Name}";

    /// <summary>Starts an execution; await <see cref="Execution.Completion"/> for its result.</summary>
    public Execution Start(StateMachine machine, JValue input, StartExecutionOptions? options = null)
    {
        options ??= new StartExecutionOptions();
        var name = options.Name ?? Guid.NewGuid().ToString();
        var kind = machine.Type == StateMachineType.Express ? "express" : "execution";
        var arn = $"arn:aws:states:{Options.Region}:{Options.AccountId}:{kind}:{machine.Name}:{name}";
        var execution = new Execution(machine, name, arn, StateMachineArn(machine), input, Options.Clock.GetUtcNow());
        if (!_executions.TryAdd(arn, execution))
        {
            throw new InvalidOperationException($"An execution named '{name}' of '{machine.Name}' already exists (ExecutionAlreadyExists).");
        }

        var mocks = options.TestCase is null
            ? null
            : Options.Mocks?.For(machine.Name, options.TestCase)?.Fresh()
                ?? throw new InvalidOperationException($"The mock configuration has no test case '{options.TestCase}' for the state machine '{machine.Name}'.");
        var run = new ExecutionRun(this, execution, mocks, options.History, redriveCount: 0);
        execution.Start(run, () => run.RunAsync());
        return execution;
    }

    /// <summary>Starts an execution and waits for its result.</summary>
    public Task<ExecutionResult> RunAsync(StateMachine machine, JValue input, StartExecutionOptions? options = null, CancellationToken cancellationToken = default) =>
        Start(machine, input, options).WaitAsync(cancellationToken);

    public Execution? Find(string executionArn) => _executions.GetValueOrDefault(executionArn);

    /// <summary>A Distributed Map child: named and addressed as AWS does, not kept in the engine's table.</summary>
    internal Execution CreateChild(StateMachine childMachine, MapRun mapRun, JValue input)
    {
        var name = Guid.NewGuid().ToString();
        var kind = childMachine.Type == StateMachineType.Express ? "express" : "execution";
        var arn = $"arn:aws:states:{Options.Region}:{Options.AccountId}:{kind}:{childMachine.Name}:{name}";
        return new Execution(childMachine, name, arn, StateMachineArn(childMachine), input, Options.Clock.GetUtcNow());
    }
}
