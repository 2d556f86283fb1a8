namespace Ingestion.Functions.Telemetry;

/// <summary>Where telemetry lines go: one JSON document per line. Implementations must be thread-safe.</summary>
/// <remarks>On Lambda, stdout (each line becomes a CloudWatch Logs event); locally, files under <c>&lt;data&gt;/logs/</c>.</remarks>
public interface ILineSink
{
    void WriteLine(string line);
}

/// <summary>Writes lines to a <see cref="TextWriter"/> (e.g. <see cref="Console.Out"/>), one at a time.</summary>
public sealed class TextWriterLineSink(TextWriter writer) : ILineSink
{
    private readonly Lock _gate = new();

    /// <summary>Standard output: what Lambda ships to CloudWatch Logs.</summary>
    public static TextWriterLineSink StandardOutput { get; } = new(Console.Out);

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}

/// <summary>Appends lines to a file, creating its folder; safe to share between functions of one process.</summary>
public sealed class FileLineSink : ILineSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;

    public FileLineSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
    }

    public string Path { get; }

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>Keeps lines in memory: for tests, and for a caller that wants to inspect what was emitted.</summary>
public sealed class MemoryLineSink : ILineSink
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
        }
    }
}
