using Ingestion.States.Json;

namespace Ingestion.States.Integrations;

/// <summary>What a task handler receives: the resource it was registered for and the effective parameters.</summary>
public sealed record TaskRequest(string Resource, JValue Parameters, string StateName, string ExecutionArn, string StateMachineArn, int RetryCount);

/// <summary>A task integration: takes the parameters, returns the raw result (before ResultSelector).</summary>
public delegate ValueTask<JValue> TaskHandler(TaskRequest request, CancellationToken cancellationToken);
