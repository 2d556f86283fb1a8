using System.Diagnostics;
using System.Text;

namespace Ingestion.Rehearsal.Services;

/// <summary>
/// An npm API server from the repository's <c>node_modules</c> (dynalite for DynamoDB, s3rver for S3) on 127.0.0.1,
/// on a port of the OS's choosing, for the lifetime of a rehearsal.
/// </summary>
/// <remarks>The script prints <c>LISTENING port</c> once it listens; it exits when our stdin closes, so a crashed rehearsal leaves no server behind.</remarks>
internal sealed class NodeService : IDisposable
{
    private const string ListeningPrefix = "LISTENING ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeService(string name, string repositoryRoot, IEnumerable<string> nodeArguments, string script, IEnumerable<string> scriptArguments)
    {
        var module = Path.Combine(repositoryRoot, "node_modules", name);
        if (!Directory.Exists(module))
        {
            throw new InvalidOperationException($"{module} is missing: run 'npm ci' in the repository first.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        const string ExitWithParent = "process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume();\n";
        foreach (var argument in (string[])[.. nodeArguments, "-e", ExitWithParent + script, repositoryRoot, .. scriptArguments])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException($"{name} exited before listening: {Log}"));
            }
            else if (e.Data.StartsWith(ListeningPrefix, StringComparison.Ordinal) && int.TryParse(e.Data.AsSpan(ListeningPrefix.Length), out var port))
            {
                listening.TrySetResult(port);
            }
            else
            {
                Append(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!listening.Task.Wait(StartTimeout))
        {
            Dispose();
            throw new InvalidOperationException($"{name} did not listen within {StartTimeout.TotalSeconds:0} s: {Log}");
        }

        Url = $"http://127.0.0.1:{listening.Task.Result}";
    }

    public string Url { get; }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>dynalite, in memory, tables created at once.</summary>
    public static NodeService Dynalite(string repositoryRoot) => new("dynalite", repositoryRoot, [], """
        const path = require('path');
        const [root] = process.argv.slice(1);
        const dynalite = require(path.join(root, 'node_modules', 'dynalite'));
        const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
        server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
        """, []);

    /// <summary>s3rver over <paramref name="directory"/>, with <paramref name="buckets"/> created (credentials S3RVER/S3RVER).</summary>
    public static NodeService S3rver(string repositoryRoot, string directory, IEnumerable<string> buckets) => new("s3rver", repositoryRoot, ["--openssl-legacy-provider"], """
        const path = require('path');
        const [root, directory, ...buckets] = process.argv.slice(1);
        const S3rver = require(path.join(root, 'node_modules', 's3rver'));
        new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map(name => ({ name, configs: [] })) })
          .run()
          .then(({ port }) => console.log('LISTENING ' + port), error => { console.error(error); process.exit(1); });
        """, [directory, .. buckets]);

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
