using Ingestion.Storage.Local.Recovery;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

public sealed class PendingUploadsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void An_upload_left_by_an_ended_process_is_an_orphan_taken_once_and_one_of_a_running_process_is_not()
    {
        var uploads = new PendingUploads(_folder.Combine("uploads"));
        var mine = uploads.Begin("ingestion", "incoming/mine.json");
        // Written as an ended process would have left it: this process's id with another start time.
        var ended = LocalProcess.Current with { StartedAt = LocalProcess.Current.StartedAt.AddDays(-2) };
        File.Move(_folder.Combine("uploads", mine + ".upload"), _folder.Combine("uploads", $"{ended.Tag}.left.upload"));
        uploads.Begin("ingestion", "incoming/running.json");

        var orphan = Assert.Single(uploads.Orphans());

        Assert.Equal(("ingestion", "incoming/mine.json"), (orphan.Bucket, orphan.Key));
        Assert.True(uploads.TryTake(orphan));
        Assert.False(uploads.TryTake(orphan));
        Assert.Empty(uploads.Orphans());
    }

    [Fact]
    public void An_upload_record_cut_short_is_dropped_and_an_ended_upload_is_gone()
    {
        var uploads = new PendingUploads(_folder.Combine("uploads"));
        var ended = LocalProcess.Current with { StartedAt = LocalProcess.Current.StartedAt.AddDays(-2) };
        var done = uploads.Begin("ingestion", "incoming/done.json");
        File.WriteAllText(_folder.Combine("uploads", $"{ended.Tag}.cut.upload"), "{\"bucket\":\"ingest");

        uploads.End(done);

        Assert.Empty(uploads.Orphans());
        Assert.Empty(Directory.GetFiles(_folder.Combine("uploads")));
    }

    public void Dispose() => _folder.Dispose();
}
