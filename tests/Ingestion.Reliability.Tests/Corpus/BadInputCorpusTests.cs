using System.Text.Json;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Local.Events;
using Ingestion.Reliability.Tests.Support;
using Ingestion.States;

namespace Ingestion.Reliability.Tests.Corpus;

/// <summary>
/// Every file of <c>testdata/bad/</c> through the real IngestFile definition, each alone into an empty store: the
/// file's status, its counts, every rejected record with its reasons, exactly the students stored, and for an
/// unreadable file the error and where it is. Nothing is lost: every record is stored, rejected or failed.
/// </summary>
public sealed class BadInputCorpusTests
{
    public static TheoryData<string> Files => [.. BadInputManifest.Load().Files.Select(f => f.File)];

    [Fact]
    public void The_corpus_has_a_manifest_entry_for_every_file_and_a_file_for_every_entry()
    {
        var onDisk = Directory.EnumerateFiles(LocalScenario.TestData("bad"))
            .Select(Path.GetFileName)
            .Where(name => name is not ("manifest.json" or ".gitattributes"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(onDisk, BadInputManifest.Load().Files.Select(f => f.File).Order(StringComparer.Ordinal));
        Assert.True(BadInputManifest.Load().Files.Count >= 30);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task A_bad_file_ends_exactly_as_the_manifest_says(string file)
    {
        var expected = BadInputManifest.Load()[file];
        await using var scenario = LocalScenario.Create(environment: expected.Environment);
        var (status, counts, reportKey, entry, key) = expected.Key is null
            ? await IngestAsync(scenario, file)
            : await FireEventAsync(scenario, file, expected.Key);

        var said = reportKey is null ? "(no report)" : (await scenario.ReportAsync(reportKey)).ToString();
        Assert.True(expected.Status == status, $"{status}, not {expected.Status}: {said}");
        Assert.True(expected.Counts.ToRunCounts() == counts, $"{counts}, not {expected.Counts.ToRunCounts()}: {said}; stored {string.Join(' ', (await scenario.StudentsAsync()).Keys)}");
        Assert.True(counts.IsBalanced, $"received {counts.Received} is not the sum of the outcomes");
        Assert.Equal(expected.Status, entry?.Status.ToWire());

        Assert.NotNull(reportKey);
        var report = await scenario.ReportAsync(reportKey);
        Assert.Equal(expected.Status, report.GetProperty("status").GetString());
        var rejected = report.GetProperty("rejected").EnumerateArray().ToDictionary(
            r => r.GetProperty("index").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            r => r.GetProperty("reasons").EnumerateArray().Select(reason => reason.GetProperty("code").GetString()!).ToList());
        Assert.Equal(expected.Rejected.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, string.Join(",", r.Value))),
            rejected.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (r.Key, string.Join(",", r.Value))));
        Assert.Equal(0, report.GetProperty("failed").GetArrayLength());

        // Every valid record around the bad ones is stored, and nothing else.
        var students = await scenario.StudentsAsync();
        Assert.Equal(expected.Stored.Order(StringComparer.Ordinal), students.Keys.Order(StringComparer.Ordinal));
        foreach (var (studentId, fields) in expected.Fields ?? new Dictionary<string, JsonElement>())
        {
            AssertFields(students[studentId], fields);
        }

        Assert.Equal(counts.Created + counts.Updated + counts.Replayed, (await scenario.OutboxAsync()).Count);
        var name = ObjectKey.FileName(key);
        if (expected.Status == "QUARANTINED")
        {
            var error = report.GetProperty("error");
            Assert.Equal(expected.Error!.Error, error.GetProperty("Error").GetString());
            var cause = error.GetProperty("Cause").GetString()!;
            foreach (var fragment in expected.Error.CauseContains)
            {
                Assert.True(cause.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' is not in the cause: {cause}");
            }
            Assert.Equal(expected.Key is null, await scenario.HeadAsync("quarantine/" + name) is not null);
        }
        else
        {
            Assert.NotNull(await scenario.HeadAsync("archive/" + name));
        }

        if (expected.Key is null)
        {
            Assert.Null(await scenario.HeadAsync(key));
        }
    }

    private static async Task<(string Status, RunCounts Counts, string? ReportKey, LedgerEntry? Entry, string Key)> IngestAsync(LocalScenario scenario, string file)
    {
        var result = await scenario.Pipeline.IngestFileAsync(LocalScenario.TestData("bad/" + file));
        var entry = await scenario.Pipeline.Ledger.GetAsync(scenario.Pipeline.BucketName, result.Key, result.VersionId!);
        return (result.Status, result.Counts, result.ReportKey, entry, result.Key);
    }

    /// <summary>
    /// An event naming a key <c>ingest run</c> cannot produce. The file is planted where the key would lead if it were
    /// taken as a path; it must be neither read, moved nor changed. A key the rule does not route (not under
    /// <c>incoming/</c>) starts IngestFile directly, as a StartExecution or a careless rule would.
    /// </summary>
    private static async Task<(string Status, RunCounts Counts, string? ReportKey, LedgerEntry? Entry, string Key)> FireEventAsync(LocalScenario scenario, string file, string keyTemplate)
    {
        var pipeline = scenario.Pipeline;
        var outside = Path.Combine(scenario.Root, "outside");
        var key = keyTemplate.Replace("{outside}", outside, StringComparison.Ordinal);
        var bucketFolder = pipeline.Data.BucketPath(pipeline.BucketName, string.Empty);
        var planted = Path.GetFullPath(key.StartsWith('/') ? key : Path.Combine(bucketFolder, key));
        Assert.False(planted.StartsWith(pipeline.Data.Root, StringComparison.Ordinal), $"the key must lead outside the data folder, not to {planted}");
        Directory.CreateDirectory(Path.GetDirectoryName(planted)!);
        File.Copy(LocalScenario.TestData("bad/" + file), planted);
        var before = (File.ReadAllBytes(planted), File.GetLastWriteTimeUtc(planted));
        var outsideBefore = FilesUnder(scenario.Root).Where(f => !f.StartsWith(pipeline.Data.Root, StringComparison.Ordinal)).ToList();

        var info = new ObjectInfo(pipeline.BucketName, key, "0123456789abcdef0123456789abcdef", "hostile-version", new FileInfo(planted).Length, scenario.Clock.GetUtcNow());
        var @event = ObjectCreatedEvent.Create(info, scenario.Clock.GetUtcNow(), pipeline.Resources.Region, pipeline.Resources.AccountId);
        var execution = pipeline.Router.Route(@event).SingleOrDefault() ?? pipeline.Engine.Start(pipeline.IngestFile, @event);
        var outcome = await execution.WaitAsync();

        Assert.Equal((ExecutionStatus.Failed, "FileQuarantined"), (outcome.Status, outcome.Error));
        Assert.Equal(before.Item1, File.ReadAllBytes(planted));
        Assert.Equal(before.Item2, File.GetLastWriteTimeUtc(planted));
        Assert.Equal(outsideBefore, FilesUnder(scenario.Root).Where(f => !f.StartsWith(pipeline.Data.Root, StringComparison.Ordinal)));
        var entry = await pipeline.Ledger.GetAsync(pipeline.BucketName, key, "hostile-version");
        return (entry?.Status == FileStatus.Quarantined ? "QUARANTINED" : entry?.Status.ToWire() ?? "NONE", entry?.Counts ?? RunCounts.Zero, entry?.ReportKey, entry, key);
    }

    private static List<string> FilesUnder(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static void AssertFields(StoredStudent student, JsonElement fields)
    {
        foreach (var field in fields.EnumerateObject())
        {
            switch (field.Name)
            {
                case "Name":
                    Assert.Equal(field.Value.GetString(), student.Name);
                    break;
                case "Email":
                    Assert.Equal(field.Value.GetString(), student.Email);
                    break;
                case "SourceIndex":
                    Assert.Equal(field.Value.GetInt64(), student.SourceIndex);
                    break;
                case "Extras":
                    using (var extras = JsonDocument.Parse(student.ExtrasJson ?? "{}"))
                    {
                        Assert.Equal(
                            field.Value.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())),
                            extras.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())));
                    }

                    break;
                default:
                    throw new InvalidDataException($"The manifest names an unknown field '{field.Name}'.");
            }
        }
    }
}
