using Ingestion.Functions;
using Ingestion.LambdaRuntime;

// The Lambda handler setting of each function is its name (cdk/Ingestion.Cdk/Functions.cs). A function's parameterless
// constructor composes it from the environment (HandlerSettings) once per sandbox, in the factory: a configuration error
// is the function's init error. An exception's type name is the errorType Step Functions' Retry and Catch match on.
using var stop = new CancellationTokenSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        // Lambda sends SIGTERM when it shuts the sandbox down: stop the loop and exit 0 instead of being killed.
        context.Cancel = true;
        stop.Cancel();
    });

return await LambdaBootstrap.RunAsync(
    new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal)
    {
        ["RegisterFile"] = () =>
        {
            var function = new RegisterFileFunction();
            return (input, context, ct) => function.InvokeAsync(input, context.AwsRequestId, ct);
        },
        ["ValidateStudents"] = () =>
        {
            var function = new ValidateStudentsFunction();
            return (input, context, ct) => function.InvokeAsync(input, context.AwsRequestId, ct);
        },
        ["StoreStudents"] = () =>
        {
            var function = new StoreStudentsFunction();
            return (input, context, ct) => function.InvokeAsync(input, context.AwsRequestId, ct);
        },
        ["SummarizeRun"] = () =>
        {
            var function = new SummarizeRunFunction();
            return (input, context, ct) => function.InvokeAsync(input, context.AwsRequestId, ct);
        },
    },
    stop.Token);
