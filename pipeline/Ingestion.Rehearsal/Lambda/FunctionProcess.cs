using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Ingestion.Rehearsal.Template;
using Ingestion.States.Errors;

namespace Ingestion.Rehearsal.Lambda;

/// <summary>
/// One function's execution environment: its package's <c>bootstrap</c> as a process (under qemu when the function is
/// arm64 and this machine is not), served by its own Runtime API, with exactly the template's environment plus what
/// Lambda itself sets. Invocations run one at a time, as in one Lambda sandbox.
/// </summary>
internal sealed class FunctionProcess : IAsyncDisposable
{
    /// <summary>Step Functions' limit on a state's input or output, which a Lambda task's payload and result must fit.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    private readonly RuntimeApiEmulator _api;
    private readonly Process _process;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly List<string> _logs = [];
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _started;
    private int _invocations;

    private FunctionProcess(FunctionSpec spec, RuntimeApiEmulator api, Process process, DateTimeOffset started)
    {
        Spec = spec;
        _api = api;
        _process = process;
        _started = started;
    }

    public FunctionSpec Spec { get; }

    /// <summary>Process start to the first <c>invocation/next</c>; null until then.</summary>
    public TimeSpan? InitDuration { get; private set; }

    /// <summary>The first invocation, from its event being handed out to its result.</summary>
    public TimeSpan? FirstInvocationDuration { get; private set; }

    /// <summary>Everything the function wrote to stdout and stderr, line by line: its CloudWatch log stream.</summary>
    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>
    /// Starts the bootstrap and waits until it asks for its first event.
    /// </summary>
    /// <exception cref="RehearsalException">The package has no bootstrap, or the function failed to initialise (its init error).</exception>
    public static async Task<FunctionProcess> StartAsync(FunctionSpec spec, IReadOnlyDictionary<string, string> lambdaVariables, CancellationToken cancellationToken)
    {
        if (spec.Runtime is not ("provided.al2023" or "provided.al2"))
        {
            throw new RehearsalException($"{spec.LogicalId}: runtime '{spec.Runtime}' is not a custom runtime; the rehearsal runs provided.al2023 packages (a bootstrap).");
        }

        var bootstrap = Path.Combine(spec.PackageDirectory, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            throw new RehearsalException($"{spec.LogicalId}: the package ({spec.PackageDirectory}) has no 'bootstrap'; Lambda would fail every invocation with Runtime.InvalidEntrypoint.");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(bootstrap) & UnixFileMode.UserExecute) == 0)
        {
            throw new RehearsalException($"{spec.LogicalId}: the package's 'bootstrap' is not executable.");
        }

        var api = RuntimeApiEmulator.Start();
        var start = Command(spec, bootstrap);
        start.Environment.Clear();
        foreach (var (name, value) in spec.Variables.Concat(lambdaVariables))
        {
            start.Environment[name] = value;
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.RuntimeApi;
        start.Environment["_HANDLER"] = spec.Handler;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = spec.Name;
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = spec.MemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + spec.Name;
        start.Environment["AWS_LAMBDA_LOG_STREAM_NAME"] = "rehearsal/[$LATEST]" + Guid.NewGuid().ToString("N");
        start.Environment["LAMBDA_TASK_ROOT"] = spec.PackageDirectory;
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["TZ"] = ":UTC";

        var started = DateTimeOffset.UtcNow;
        var process = Process.Start(start) ?? throw new RehearsalException($"{spec.LogicalId}: could not start {start.FileName}.");
        var function = new FunctionProcess(spec, api, process, started);
        process.OutputDataReceived += (_, e) => function.Log(e.Data);
        process.ErrorDataReceived += (_, e) => function.Log(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => function._exited.TrySetResult();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var ready = await Task.WhenAny(api.FirstNext, api.InitError, function._exited.Task).WaitAsync(cancellationToken);
        if (ready == api.FirstNext)
        {
            function.InitDuration = api.FirstNext.Result - started;
            return function;
        }

        var why = ready == api.InitError ? $"init error {api.InitError.Result.Text}" : $"exited with {process.ExitCode} before asking for an event";
        var logs = string.Join(Environment.NewLine, function.Logs.TakeLast(10));
        await function.DisposeAsync();
        throw new RehearsalException($"{spec.LogicalId} (handler '{spec.Handler}') could not start: {why}.{Environment.NewLine}{logs}");
    }

    /// <summary>Invokes the function as Step Functions' lambda:invoke does, synchronously; a function error is thrown as the task's error.</summary>
    public async Task<Stream> InvokeAsync(Stream payload, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await payload.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxPayloadBytes)
        {
            throw new StatesException("States.DataLimitExceeded", $"The payload to {Spec.Name} is {buffer.Length} bytes, over Step Functions' limit of {MaxPayloadBytes} (256 KiB).");
        }

        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var requestId = Guid.NewGuid().ToString();
            var handedOut = DateTimeOffset.UtcNow;
            _api.Enqueue(new EmulatedEvent(requestId, Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
            {
                Deadline = handedOut.AddSeconds(Spec.TimeoutSeconds),
                InvokedFunctionArn = Spec.Arn,
                TraceId = $"Root=1-{handedOut.ToUnixTimeSeconds():x8}-{Guid.NewGuid():N}"[..46] + ";Sampled=0",
            });
            var result = _api.ResultOf(requestId);
            if (await Task.WhenAny(result, _exited.Task).WaitAsync(cancellationToken) != result)
            {
                throw new StatesException("Lambda.ServiceException", $"{Spec.Name}'s bootstrap exited during an invocation (exit code {_process.ExitCode}): {string.Join(" | ", Logs.TakeLast(8))}");
            }

            if (Interlocked.Increment(ref _invocations) == 1)
            {
                FirstInvocationDuration = DateTimeOffset.UtcNow - handedOut;
            }

            var posted = result.Result;
            if (posted.IsError)
            {
                using var error = JsonDocument.Parse(posted.Body);
                var type = error.RootElement.TryGetProperty("errorType", out var t) ? t.GetString() : null;
                var message = error.RootElement.TryGetProperty("errorMessage", out var m) ? m.GetString() : null;
                throw new StatesException(type ?? posted.ErrorTypeHeader ?? "Unhandled", message ?? posted.Text);
            }

            if (posted.Body.Length > MaxPayloadBytes)
            {
                throw new StatesException("States.DataLimitExceeded", $"{Spec.Name} returned {posted.Body.Length} bytes, over Step Functions' limit of {MaxPayloadBytes} (256 KiB).");
            }

            return new MemoryStream(posted.Body, writable: false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api.Shutdown();
        if (!_process.HasExited && !await WaitAsync(_exited.Task, TimeSpan.FromSeconds(10)))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _api.DisposeAsync();
        _oneAtATime.Dispose();
    }

    private static async Task<bool> WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static ProcessStartInfo Command(FunctionSpec spec, string bootstrap)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.PackageDirectory,
        };
        var foreignArm = spec.Architecture == "arm64" && RuntimeInformation.OSArchitecture != Architecture.Arm64;
        if (foreignArm)
        {
            // qemu user mode runs the arm64 binary. -L / lets its loader find Debian's multiarch arm64 libraries
            // (libc6:arm64 and the libssl3:arm64 .NET loads for HTTPS, from build/install-aot-tools.sh). The cross
            // toolchain's /usr/aarch64-linux-gnu root has no OpenSSL, and mixing the two glibc builds hangs at start.
            start.FileName = "qemu-aarch64-static";
            start.ArgumentList.Add("-L");
            start.ArgumentList.Add("/");
            start.ArgumentList.Add(bootstrap);
        }
        else
        {
            start.FileName = bootstrap;
        }

        return start;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_logs)
            {
                _logs.Add(line);
            }
        }
    }
}
