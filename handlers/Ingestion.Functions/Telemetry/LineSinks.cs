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

/// <summary>
/// Appends lines to a file, creating its folder; safe to share between functions of one process. The file is rotated
/// by size, as CloudWatch's retention bounds the logs on AWS: past <see cref="MaxBytes"/> it becomes <c>NAME.1</c>
/// (the older ones <c>NAME.2</c>…), and only <see cref="KeptFiles"/> rotated files are kept.
/// </summary>
/// <remarks>
/// Another process appending to the same file keeps writing to its open handle after a rotation, until that file
/// too passes the limit and it rotates in turn: every file stays near the limit and their number stays bounded.
/// </remarks>
public sealed class FileLineSink : ILineSink, IDisposable
{
    /// <summary>The default size a log file reaches before it is rotated: 16 MiB.</summary>
    public const long DefaultMaxBytes = 16L << 20;

    /// <summary>The default number of rotated files kept beside the current one.</summary>
    public const int DefaultKeptFiles = 4;

    private readonly Lock _gate = new();
    private StreamWriter _writer;

    public FileLineSink(string path, long maxBytes = DefaultMaxBytes, int keptFiles = DefaultKeptFiles)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keptFiles, 1);
        Path = System.IO.Path.GetFullPath(path);
        MaxBytes = maxBytes;
        KeptFiles = keptFiles;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _writer = Open(Path);
    }

    public string Path { get; }

    public long MaxBytes { get; }

    public int KeptFiles { get; }

    /// <summary>The rotated files of <paramref name="path"/> that exist, oldest first, then the current one if it exists.</summary>
    public static IReadOnlyList<string> FilesOf(string path, int keptFiles = DefaultKeptFiles) =>
        [.. Enumerable.Range(1, keptFiles).Reverse().Select(n => $"{path}.{n}").Append(path).Where(File.Exists)];

    public void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_writer.BaseStream.Length > 0 && _writer.BaseStream.Length + line.Length + 1 > MaxBytes)
            {
                Rotate();
            }

            _writer.WriteLine(line);
        }
    }

    public void Dispose() => _writer.Dispose();

    private void Rotate()
    {
        _writer.Dispose();
        try
        {
            // NAME.(k-1) → NAME.k … NAME → NAME.1; File.Move with overwrite drops the oldest.
            for (var n = KeptFiles - 1; n >= 1; n--)
            {
                var from = $"{Path}.{n}";
                if (File.Exists(from))
                {
                    File.Move(from, $"{Path}.{n + 1}", overwrite: true);
                }
            }

            if (File.Exists(Path))
            {
                File.Move(Path, Path + ".1", overwrite: true);
            }
        }
        catch (IOException)
        {
            // Another process rotated at the same moment: its rotation stands, and this one appends to the new file.
        }

        _writer = Open(Path);
    }

    private static StreamWriter Open(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { AutoFlush = true };
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
