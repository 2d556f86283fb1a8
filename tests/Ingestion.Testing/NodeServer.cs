using System.Diagnostics;
using System.Text;

namespace Ingestion.Testing;

/// <summary>An HTTP server run by Node.js on 127.0.0.1, on a port the OS picks, stopped on dispose.</summary>
/// <remarks>
/// The script listens on port 0 and prints <c>LISTENING &lt;port&gt;</c>, so no port is probed and then raced for. It
/// also exits when its standard input closes: if the test process dies without disposing, the pipe closes and the
/// server goes with it instead of lingering.
/// </remarks>
public abstract class NodeServer : IDisposable
{
    /// <summary>How long a server may take to start before the fixture gives up (a guard, not a measurement).</summary>
    protected static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private const string ListeningPrefix = "LISTENING ";

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private bool _disposed;

    /// <param name="name">For messages: <c>dynalite</c>, <c>s3rver</c>.</param>
    /// <param name="nodeArguments">Node's own flags, before the script.</param>
    /// <param name="script">JavaScript run with <c>node -e</c>; <c>process.argv.slice(1)</c> are <paramref name="scriptArguments"/>.</param>
    protected NodeServer(string name, IEnumerable<string> nodeArguments, string script, IEnumerable<string> scriptArguments)
    {
        ArgumentNullException.ThrowIfNull(nodeArguments);
        ArgumentNullException.ThrowIfNull(scriptArguments);
        AwsTestEnvironment.Apply();
        Name = name;
        NodeTools.EnsurePackages(NodeTools.ServerPackages);
        const string ExitWithParent = "process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume();\n";
        _process = NodeTools.StartNode([.. nodeArguments, "-e", ExitWithParent + script, .. scriptArguments]);
        try
        {
            Port = WaitForPort();
            Url = $"http://127.0.0.1:{Port}";
            WaitUntilAnswering();
        }
        catch
        {
            Stop();
            throw;
        }
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:43127</c>.</summary>
    public string Url { get; }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Stop();
        OnStopped();
        GC.SuppressFinalize(this);
    }

    /// <summary>Cleans up after the process has ended (data folders).</summary>
    protected virtual void OnStopped()
    {
    }

    private int WaitForPort()
    {
        var found = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                found.TrySetException(new NodeToolsException($"{Name} exited before listening: {Log}"));
                return;
            }

            Append(e.Data);
            if (e.Data.StartsWith(ListeningPrefix, StringComparison.Ordinal) && int.TryParse(e.Data.AsSpan(ListeningPrefix.Length), out var port))
            {
                found.TrySetResult(port);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Append(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!found.Task.Wait(StartTimeout))
        {
            throw new NodeToolsException($"{Name} did not start listening within {StartTimeout.TotalSeconds:0} s: {Log}");
        }

        return found.Task.Result;
    }

    private void WaitUntilAnswering()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Any HTTP answer will do (dynalite and s3rver both refuse a bare GET /): the server is up.
                using var response = http.GetAsync(new Uri(Url + "/")).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) when (waited.Elapsed < StartTimeout && !_process.HasExited)
            {
                Thread.Sleep(50);
            }
            catch (HttpRequestException e)
            {
                throw new NodeToolsException($"{Name} at {Url} does not answer: {e.Message}. {Log}", e);
            }
        }
    }

    private void Append(string line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
