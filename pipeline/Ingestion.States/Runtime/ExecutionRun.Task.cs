using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Integrations;
using Ingestion.States.Json;
using Ingestion.States.Mocking;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

internal sealed partial class ExecutionRun
{
    private ValueTask<StepResult> RunTaskAsync(State.Task task, JValue input, DateTimeOffset entered, Trace trace, CancellationToken ct) =>
        WithRetryAsync(task, task.Retry, task.Catch, input, retryCount => AttemptTaskAsync(task, input, entered, retryCount, trace, ct), entered, trace, ct);

    private async ValueTask<StepResult> AttemptTaskAsync(State.Task task, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct)
    {
        var context = new StateContext(this, task.Name, entered, retryCount, trace.Variables);
        var effective = DataFlow.Select(task.InputPath, input, context);
        var parameters = task.Parameters?.Evaluate(new EvaluationScope(effective, context, Options.Random)) ?? effective;
        // History only: an EXPRESS child (most tasks) records none, and names nothing.
        var resource = History.Enabled ? ResourceName.Of(task.Resource) : default;
        var (scheduled, started, succeeded, failed, timedOut) = resource.IsBareLambda
            ? ("LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionFailed", "LambdaFunctionTimedOut")
            : ("TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut");
        if (History.Enabled)
        {
            Record(trace, new HistoryEvent(scheduled) { ResourceType = resource.Type, Resource = resource.Action, Input = parameters });
            Record(trace, new HistoryEvent(started) { ResourceType = resource.Type, Resource = resource.Action });
        }
        else
        {
            Skip(trace, 2);
        }

        JValue result;
        try
        {
            result = await InvokeAsync(task, parameters, effective, context, retryCount, ct);
            // AWS names a task by its function ARN when the resource is a bare Lambda function, by the state otherwise.
            DataFlow.CheckSize(result, Options.PayloadLimitBytes, task.Resource.StartsWith(LambdaIntegration.BareFunctionPrefix, StringComparison.Ordinal) ? task.Resource : task.Name);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var error = ErrorOutput.From(e);
            var type = error.Error == StatesErrors.Timeout ? timedOut : failed;
            Record(trace, new HistoryEvent(type) { ResourceType = resource.Type, Resource = resource.Action, Error = error.Error, Cause = error.Cause });
            throw;
        }

        if (History.Enabled)
        {
            Record(trace, new HistoryEvent(succeeded) { ResourceType = resource.Type, Resource = resource.Action, Output = result });
        }
        else
        {
            Skip(trace);
        }

        var selected = task.ResultSelector?.Evaluate(new EvaluationScope(result, context, Options.Random)) ?? result;
        var merged = DataFlow.Merge(task.ResultPath, input, selected);
        var output = Output(task, merged, context);
        return task.Assign is null && task.Output is null
            ? new StepResult(output, task.Next)
            : Finish(task, input, selected, output, context, trace, task.Next, task.Assign, task.Output);
    }

    private async ValueTask<JValue> InvokeAsync(State.Task task, JValue parameters, JValue effective, StateContext context, int retryCount, CancellationToken ct)
    {
        if (Mocks is not null && Mocks.IsMocked(task.Name))
        {
            return Mocks.Next(task.Name) switch
            {
                MockedResponse.Return r => r.Value,
                MockedResponse.Throw t => throw new StatesException(t.Error, t.Cause ?? ""),
                _ => JValue.Null,
            };
        }

        var handler = Engine.Tasks.Resolve(task.Resource);
        var request = new TaskRequest(task.Resource, parameters, task.Name, Execution.Arn, Execution.StateMachineArn, retryCount);
        var timeoutSeconds = TimeoutOf(task, effective, context);
        if (timeoutSeconds is null)
        {
            return await handler(request, ct);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pending = handler(request, linked.Token).AsTask();
        if (!pending.IsCompleted)
        {
            var timer = Task.Delay(TimeSpan.FromSeconds(timeoutSeconds.Value), Clock, linked.Token);
            var first = await Task.WhenAny(pending, timer);
            if (first != pending)
            {
                if (ct.IsCancellationRequested)
                {
                    // Stopped (the timer ended with the token): the task hears it through the same token. Wait for
                    // it, so nothing it does comes after the execution has ended ABORTED (within a grace period).
                    await WhenEndedAsync(pending);
                    ct.ThrowIfCancellationRequested();
                }

                await linked.CancelAsync();
                throw new StatesException(StatesErrors.Timeout, $"The task '{task.Name}' did not complete within {timeoutSeconds} seconds.");
            }

            await linked.CancelAsync();
        }

        return await pending;
    }

    /// <summary>How long a stopped task's handler has to end before the execution ends without it: real time, not the engine's clock (a thread winding down, not workflow time).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>Waits for a stopped task's handler to end, at most <see cref="StopGrace"/>: one that never hears the stop must not hold the execution.</summary>
    private static async Task WhenEndedAsync(Task pending)
    {
        await Task.WhenAny(pending, Task.Delay(StopGrace, TimeProvider.System));
        // How a stopped task ends does not matter: the execution ends ABORTED.
        _ = pending.ContinueWith(static ended => ended.Exception, TaskScheduler.Default);
    }

    private int? TimeoutOf(State.Task task, JValue effective, StateContext context)
    {
        if (task.TimeoutSecondsExpression is { } expression)
        {
            return (int)JsonataNumbers.Integer(expression, "TimeoutSeconds", new EvaluationScope(effective, context, Options.Random), 1, 99_999_999);
        }

        if (task.TimeoutSecondsPath is null)
        {
            return task.TimeoutSeconds;
        }

        var value = DataFlow.Select(task.TimeoutSecondsPath, effective, context);
        return value is JNumber n && n.TryGetInt32(out var seconds) && seconds > 0
            ? seconds
            : throw StatesException.Runtime($"The TimeoutSecondsPath '{task.TimeoutSecondsPath.Text}' of the state '{task.Name}' must point to a positive integer, got {value.ToJsonString()}.");
    }
}

/// <summary>How history names a resource: <c>lambda</c>/<c>invoke</c>, <c>aws-sdk:sns</c>/<c>publishBatch</c>.</summary>
internal readonly record struct ResourceName(string Type, string Action, bool IsBareLambda)
{
    private const string ServicePrefix = "arn:aws:states:::";

    public static ResourceName Of(string resource)
    {
        if (resource.StartsWith(LambdaIntegration.BareFunctionPrefix, StringComparison.Ordinal))
        {
            return new ResourceName("lambda", resource, true);
        }

        if (!resource.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            return new ResourceName("", resource, false);
        }

        var rest = resource[ServicePrefix.Length..];
        var split = rest.StartsWith("aws-sdk:", StringComparison.Ordinal) ? rest.IndexOf(':', "aws-sdk:".Length) : rest.IndexOf(':', StringComparison.Ordinal);
        return split < 0 ? new ResourceName(rest, "", false) : new ResourceName(rest[..split], rest[(split + 1)..], false);
    }
}
