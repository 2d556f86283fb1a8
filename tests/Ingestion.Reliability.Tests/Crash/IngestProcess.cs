using System.Diagnostics;
using System.Text;

namespace Ingestion.Reliability.Tests.Crash;

/// <summary>The built <c>ingest</c> as a separate process: what a user runs, and what a test can kill.</summary>
/// <remarks>
/// The test project references the CLI project, so <c>ingest.dll</c> (and its runtime configuration) is copied next
/// to the tests and runs with <c>dotnet ingest.dll</c>. The process gets none of the machine's INGEST_* or AWS_*
/// variables.
/// </remarks>
public sealed class IngestProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private IngestProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => Read(_output);

    public string Error => Read(_error);

    /// <summary>The output lines so far.</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Where <c>ingest.dll</c> is: next to the test assembly.</summary>
    public static string Assembly
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "ingest.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"ingest.dll is not next to the tests in {AppContext.BaseDirectory}: the test project must reference pipeline/Ingestion.Cli.", path);
        }
    }

    public static IngestProcess Start(string workingDirectory, params string[] args) => Launch(workingDirectory, [Assembly, .. args]);

    /// <summary>
    /// The local pipeline as <c>ingest</c> composes it, stopping for good once <paramref name="batches"/> batches are
    /// stored (see <see cref="Program"/>): <paramref name="args"/> are <c>run DATA FILE</c> or <c>watch DATA</c>.
    /// </summary>
    public static IngestProcess StartPausing(string workingDirectory, int batches, string mode, string data, params string[] files) =>
        Launch(workingDirectory, [typeof(Program).Assembly.Location, "pausing-ingest", mode, data, batches.ToString(System.Globalization.CultureInfo.InvariantCulture), .. files]);

    /// <summary>Waits for the line saying the process stopped storing; fails if it ended or went past first.</summary>
    public async Task UntilPausedAsync(TimeSpan bound)
    {
        await DataFolderProbe.UntilAsync(() => Lines.Contains(Program.PausedLine) || HasExited, bound, "the pipeline to pause after its first batches");
        Assert.False(HasExited, $"ingest ended before pausing; output:\n{Output}\nerror:\n{Error}");
    }

    private static IngestProcess Launch(string workingDirectory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("INGEST_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal) || k == "MAX_FILE_BYTES").ToList())
        {
            start.Environment.Remove(name);
        }

        return new IngestProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGINT, as Ctrl+C sends (with the system's <c>kill</c>; where there is none, the process is killed).</summary>
    public void Interrupt()
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
            kill.WaitForExit();
            if (kill.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command here.
        }

        _process.Kill(entireProcessTree: true);
    }

    /// <summary>Waits for the process to end, at most <paramref name="timeout"/> (a hang fails the test instead of stalling the suite).</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ingest did not end within {timeout.TotalSeconds:0} s; output:\n{Output}\nerror:\n{Error}");
        }

        _process.WaitForExit(); // the end of the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is not null)
        {
            lock (builder)
            {
                builder.Append(line).Append('\n');
            }
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
