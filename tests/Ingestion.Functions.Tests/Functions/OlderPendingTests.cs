using System.Text;
using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Functions.Tests.Support;
using Ingestion.Testing;

namespace Ingestion.Functions.Tests.Functions;

/// <summary>RegisterFile's <c>file.olderPending</c>: whether an older export was outstanding at registration.</summary>
public sealed class OlderPendingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly LocalRun _run;

    public OlderPendingTests()
    {
        _run = new LocalRun(_folder, _clock);
    }

    [Fact]
    public async Task A_file_registered_while_an_older_file_waits_in_incoming_is_flagged_and_the_older_one_is_not()
    {
        await DropAsync("incoming/older.json", _clock.GetUtcNow().AddHours(-2));
        await DropAsync("incoming/newer.json", _clock.GetUtcNow().AddHours(-1));

        var newer = await RegisterAsync("incoming/newer.json");
        var older = await RegisterAsync("incoming/older.json");

        Assert.Equal((true, false), (OlderPending(newer), OlderPending(older)));
    }

    [Fact]
    public async Task A_file_of_a_type_that_is_never_ingested_does_not_flag_a_file()
    {
        // notes.txt is quarantined by its own run: it never stores a student.
        await DropAsync("incoming/notes.txt", _clock.GetUtcNow().AddHours(-2));
        await DropAsync("incoming/students.json", _clock.GetUtcNow().AddHours(-1));

        var output = await RegisterAsync("incoming/students.json");

        Assert.False(OlderPending(output));
    }

    [Fact]
    public async Task An_older_version_of_the_same_key_still_in_progress_or_failed_flags_the_newer_version()
    {
        var first = await _run.Objects.PutAsync(LocalRun.Bucket, "incoming/s.json", Content());
        _clock.Advance(TimeSpan.FromMinutes(1));
        await RegisterAsync("incoming/s.json", "exec-1");
        var second = await _run.Objects.PutAsync(LocalRun.Bucket, "incoming/s.json", Content());
        _clock.Advance(TimeSpan.FromMinutes(1));

        var whileInProgress = await RegisterAsync("incoming/s.json", "exec-2", second.VersionId);
        await _run.Ledger.CompleteAsync(Ledger(first), new FileCompletion(FileStatus.Succeeded, "exec-1", _clock.GetUtcNow()));
        var third = await _run.Objects.PutAsync(LocalRun.Bucket, "incoming/s.json", Content());
        await _run.Ledger.CompleteAsync(Ledger(second), new FileCompletion(FileStatus.Succeeded, "exec-2", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var afterBoth = await RegisterAsync("incoming/s.json", "exec-3", third.VersionId);

        Assert.Equal((true, false), (OlderPending(whileInProgress), OlderPending(afterBoth)));
    }

    public void Dispose()
    {
        _run.Dispose();
        _folder.Dispose();
    }

    private static MemoryStream Content() => new(Encoding.UTF8.GetBytes("[]"));

    private static LedgerFile Ledger(ObjectInfo info) => new(info.Bucket, info.Key, info.VersionId!, info.ETag, info.Size, info.LastModified);

    private static bool OlderPending(JsonElement output) =>
        output.GetProperty("file").TryGetProperty("olderPending", out var flag) && flag.GetBoolean();

    private Task<JsonElement> RegisterAsync(string key, string execution = "exec-1", string? versionId = null) =>
        LocalRun.CallAsync(_run.Register.HandleAsync, $$"""{"event":{{LocalRun.ObjectCreatedEvent(key, versionId: versionId)}},"executionName":"{{execution}}"}""");

    /// <summary>A file dropped into the bucket folder by hand, last modified at <paramref name="modified"/>.</summary>
    private async Task DropAsync(string key, DateTimeOffset modified)
    {
        var path = _run.Objects.PathOf(LocalRun.Bucket, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "[]");
        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
    }
}
