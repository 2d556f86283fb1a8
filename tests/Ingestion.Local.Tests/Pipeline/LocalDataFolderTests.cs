using Ingestion.Testing;

namespace Ingestion.Local.Tests.Pipeline;

public sealed class LocalDataFolderTests
{
    [Fact]
    public void The_option_wins_over_the_environment_which_wins_over_the_default()
    {
        string? Environment(string name) => name == "INGEST_DATA_DIR" ? "/from/env" : null;

        Assert.Equal(Path.GetFullPath("/from/option"), LocalDataFolder.Resolve("/from/option", Environment).Root);
        Assert.Equal(Path.GetFullPath("/from/env"), LocalDataFolder.Resolve(null, Environment).Root);
        Assert.Equal(Path.GetFullPath(".ingest"), LocalDataFolder.Resolve(null, _ => null).Root);
    }

    [Fact]
    public void Everything_lives_under_the_folder()
    {
        var folder = new LocalDataFolder("/data");

        Assert.All(
            [folder.ObjectsRoot, folder.Database, folder.Logs, folder.HandlersLog, folder.MetricsLog, folder.IncomingFolder],
            path => Assert.StartsWith(folder.Root + Path.DirectorySeparatorChar, path, StringComparison.Ordinal));
        Assert.Equal(Path.Combine(folder.Root, "s3", "ingestion", "incoming") + Path.DirectorySeparatorChar, folder.IncomingFolder);
    }

    [Fact]
    public async Task A_run_writes_only_inside_its_data_folder()
    {
        var root = Directory.CreateTempSubdirectory("ingest-fence-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            await using (var pipeline = LocalPipeline.Open(LocalPipelineOptions.ForDataDirectory(data)))
            {
                await pipeline.IngestFileAsync(Support.TestPipeline.TestData("students-mixed.json"));
            }

            Assert.Equal([data], Directory.GetFileSystemEntries(root));
            var entries = Directory.GetFileSystemEntries(data).Select(e => Path.GetFileName(e)!).ToHashSet();
            Assert.Superset(new HashSet<string> { "ingest.db", "outbox.db", "logs", "s3" }, entries);
            Assert.Subset(new HashSet<string> { "ingest.db", "ingest.db-shm", "ingest.db-wal", "outbox.db", "outbox.db-shm", "outbox.db-wal", "logs", "s3", "uploads" }, entries);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_new_data_folder_gets_its_databases_with_the_chosen_page_size()
    {
        // Whichever adapter opens a file first (store, ledger, run registry, outbox) must set it: it counts only then.
        var root = Directory.CreateTempSubdirectory("ingest-pages-").FullName;
        try
        {
            var folder = LocalPipelineOptions.ForDataDirectory(root);
            await using (var pipeline = LocalPipeline.Open(folder))
            {
                await pipeline.IngestFileAsync(Support.TestPipeline.TestData("students-mixed.json"));
            }

            Assert.Equal(8192, SqliteProbe.Scalar(Path.Combine(root, "ingest.db"), "PRAGMA page_size;"));
            Assert.Equal(8192, SqliteProbe.Scalar(Path.Combine(root, "outbox.db"), "PRAGMA page_size;"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
