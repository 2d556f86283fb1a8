using Ingestion.States.Errors;
using Ingestion.States.History;
using Ingestion.States.Json;
using Ingestion.States.Model;
using Ingestion.States.Templates;

namespace Ingestion.States.Runtime;

internal sealed partial class ExecutionRun
{
    private ValueTask<StepResult> RunParallelAsync(State.Parallel parallel, JValue input, DateTimeOffset entered, Trace trace, CancellationToken ct) =>
        WithRetryAsync(parallel, parallel.Retry, parallel.Catch, input, retryCount => AttemptParallelAsync(parallel, input, entered, retryCount, trace, ct), entered, trace, ct);

    private async ValueTask<StepResult> AttemptParallelAsync(State.Parallel parallel, JValue input, DateTimeOffset entered, int retryCount, Trace trace, CancellationToken ct)
    {
        var context = new StateContext(this, parallel.Name, entered, retryCount, trace.Variables);
        var effective = DataFlow.Select(parallel.InputPath, input, context);
        var branchInput = parallel.Parameters?.Evaluate(new EvaluationScope(effective, context, Options.Random)) ?? effective;
        Record(trace, new HistoryEvent("ParallelStateStarted") { StateName = parallel.Name });

        var results = new JValue[parallel.Branches.Count];
        var failure = new FirstFailure();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var branches = new Task[results.Length];
        for (var i = 0; i < branches.Length; i++)
        {
            branches[i] = RunBranchAsync(parallel.Branches[i], i);
        }

        await Task.WhenAll(branches);
        ct.ThrowIfCancellationRequested();
        if (failure.Error is { } error)
        {
            Record(trace, new HistoryEvent("ParallelStateFailed") { StateName = parallel.Name, Error = error.Error, Cause = error.Cause });
            throw failure.Exception!;
        }

        Record(trace, new HistoryEvent("ParallelStateSucceeded") { StateName = parallel.Name });
        JValue result = new JArray(results);
        result = parallel.ResultSelector?.Evaluate(new EvaluationScope(result, context, Options.Random)) ?? result;
        var output = Output(parallel, DataFlow.Merge(parallel.ResultPath, input, result), context);
        return parallel.Assign is null && parallel.Output is null
            ? new StepResult(output, parallel.Next)
            : Finish(parallel, input, result, output, context, trace, parallel.Next, parallel.Assign, parallel.Output);

        async Task RunBranchAsync(StateGraph branch, int index)
        {
            // Branches start together; a failure cancels the others, whose cancellation is not an error.
            await Task.Yield();
            // Each branch has its own variables, reading the state's and gone when the branch ends.
            var branchTrace = new Trace(trace.Last, branch.AssignsVariables ? trace.Variables.Child() : trace.Variables);
            try
            {
                results[index] = await RunGraphAsync(branch, branchInput, branchTrace, linked.Token);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                if (failure.TrySet(e))
                {
                    await linked.CancelAsync();
                }
            }
            finally
            {
                if (branchTrace.Variables != trace.Variables)
                {
                    branchTrace.Variables.Release();
                }
            }
        }
    }

    /// <summary>The first failure among concurrent branches or iterations.</summary>
    private sealed class FirstFailure
    {
        private ErrorOutput? _error;
        private StatesException? _exception;

        public ErrorOutput? Error
        {
            get
            {
                lock (this)
                {
                    return _error;
                }
            }
        }

        /// <summary>
        /// The failure to throw: a States exception as it was (one from the state's own fields is still to be located),
        /// anything else as its error and cause.
        /// </summary>
        public StatesException? Exception
        {
            get
            {
                lock (this)
                {
                    return _exception;
                }
            }
        }

        public bool TrySet(Exception e)
        {
            lock (this)
            {
                if (_error is not null)
                {
                    return false;
                }

                var error = ErrorOutput.From(e);
                _error = error;
                _exception = e as StatesException ?? StatesException.PassedOn(error.Error, error.Cause);
                return true;
            }
        }
    }
}
