using Ingestion.Functions.Telemetry;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Telemetry;

public sealed class FileLineSinkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_log_past_its_size_is_rotated_and_only_the_kept_files_remain()
    {
        var path = _folder.Combine("logs", "handlers.log");
        using (var sink = new FileLineSink(path, maxBytes: 100, keptFiles: 2))
        {
            for (var i = 0; i < 40; i++)
            {
                sink.WriteLine($"line {i:00} of the log"); // 19 bytes with its newline: 5 a file
            }
        }

        var files = Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["handlers.log", "handlers.log.1", "handlers.log.2"], files);
        Assert.All(FileLineSink.FilesOf(path, 2), f => Assert.InRange(new FileInfo(f).Length, 1, 100));
        // Oldest first: the newest 15 lines survive, in order; the first 25 were dropped with the oldest files.
        var kept = FileLineSink.FilesOf(path, 2).SelectMany(File.ReadLines).ToList();
        Assert.Equal(Enumerable.Range(25, 15).Select(i => $"line {i:00} of the log"), kept);
    }

    [Fact]
    public void A_log_under_its_size_is_one_file()
    {
        var path = _folder.Combine("metrics.log");
        using (var sink = new FileLineSink(path))
        {
            sink.WriteLine("{}");
        }

        Assert.Equal([path], FileLineSink.FilesOf(path));
    }

    [Fact]
    public void Two_sinks_on_one_file_keep_every_file_near_the_limit()
    {
        // Two processes (here two sinks) append to one log; each rotates when its own handle's file is full.
        var path = _folder.Combine("shared.log");
        using (var first = new FileLineSink(path, maxBytes: 200, keptFiles: 3))
        using (var second = new FileLineSink(path, maxBytes: 200, keptFiles: 3))
        {
            for (var i = 0; i < 200; i++)
            {
                (i % 2 == 0 ? first : second).WriteLine($"line {i:000} from a writer");
            }
        }

        var files = FileLineSink.FilesOf(path, 3);
        Assert.Equal(4, files.Count);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 200));
        Assert.Equal(files.Order(StringComparer.Ordinal), Directory.GetFiles(_folder.Path).Order(StringComparer.Ordinal));
    }
}
