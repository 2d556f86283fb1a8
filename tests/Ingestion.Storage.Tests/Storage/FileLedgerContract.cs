using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>The semantics every <see cref="IFileLedger"/> adapter must have. Subclass it once per adapter.</summary>
public abstract class FileLedgerContract
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    protected static readonly TimeSpan Lease = TimeSpan.FromHours(2);

    /// <summary>A ledger over fresh, empty storage whose IN_PROGRESS entries expire after <paramref name="lease"/>.</summary>
    protected abstract Task<IFileLedger> CreateLedgerAsync(TimeSpan lease);

    protected static LedgerFile File(string version = "v1", string key = "incoming/students.json") =>
        new("ingestion", key, version, "9b2cf535f27731c974343645a3985328", 10240, Now.AddMinutes(-1));

    private static FileCompletion Done(FileStatus status, string execution = "exec-1") =>
        new(status, execution, Now.AddMinutes(3), new RunCounts(Received: 10, Created: 8, Rejected: 2, Notified: 8), "reports/students.json.report.json",
            status == FileStatus.Succeeded ? null : new ErrorInfo("States.ExceedToleratedFailureThreshold", "too many failed"));

    [Fact]
    public async Task First_registration_is_registered_in_progress()
    {
        var ledger = await CreateLedgerAsync(Lease);

        var result = await ledger.RegisterAsync(File(), "exec-1", Now);

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        Assert.Equal(FileStatus.InProgress, result.Entry.Status);
        Assert.Equal(("exec-1", 1, Now), (result.Entry.ExecutionName, result.Entry.Attempts, result.Entry.RegisteredAt));
        Assert.Equal(result.Entry, await ledger.GetAsync("ingestion", "incoming/students.json", "v1"));
    }

    [Fact]
    public async Task Second_registration_of_the_same_version_is_already_processed()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File(), "exec-1", Now);

        var result = await ledger.RegisterAsync(File(), "exec-2", Now.AddMinutes(1));

        Assert.Equal(RegistrationStatus.AlreadyProcessed, result.Status);
        Assert.Equal("exec-1", result.Entry.ExecutionName);
    }

    [Fact]
    public async Task Retried_registration_by_the_same_execution_is_registered()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File(), "exec-1", Now);

        var result = await ledger.RegisterAsync(File(), "exec-1", Now.AddSeconds(5));

        Assert.Equal(RegistrationStatus.Registered, result.Status);
        Assert.Equal(1, result.Entry.Attempts);
    }

    [Fact]
    public async Task Another_version_of_the_same_key_is_registered()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File("v1"), "exec-1", Now);

        var result = await ledger.RegisterAsync(File("v2"), "exec-2", Now);

        Assert.Equal(RegistrationStatus.Registered, result.Status);
    }

    [Theory]
    [InlineData(FileStatus.Succeeded, RegistrationStatus.AlreadyProcessed)]
    [InlineData(FileStatus.Quarantined, RegistrationStatus.AlreadyProcessed)]
    [InlineData(FileStatus.Failed, RegistrationStatus.Registered)]
    public async Task Registration_after_completion_depends_on_the_status(FileStatus status, RegistrationStatus expected)
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File(), "exec-1", Now);
        Assert.True(await ledger.CompleteAsync(File(), Done(status)));

        var result = await ledger.RegisterAsync(File(), "exec-2", Now.AddHours(1));

        Assert.Equal(expected, result.Status);
        if (expected == RegistrationStatus.Registered)
        {
            Assert.Equal(("exec-2", 2, FileStatus.InProgress), (result.Entry.ExecutionName, result.Entry.Attempts, result.Entry.Status));
        }
    }

    [Fact]
    public async Task Expired_lease_lets_another_execution_take_over()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File(), "crashed", Now);

        var early = await ledger.RegisterAsync(File(), "exec-2", Now + Lease - TimeSpan.FromSeconds(1));
        var late = await ledger.RegisterAsync(File(), "exec-3", Now + Lease + TimeSpan.FromSeconds(1));

        Assert.Equal(RegistrationStatus.AlreadyProcessed, early.Status);
        Assert.Equal(RegistrationStatus.Registered, late.Status);
        Assert.Equal(("exec-3", 2), (late.Entry.ExecutionName, late.Entry.Attempts));
        Assert.False(await ledger.CompleteAsync(File(), Done(FileStatus.Succeeded, "crashed")));
        Assert.Equal(FileStatus.InProgress, (await ledger.GetAsync("ingestion", "incoming/students.json", "v1"))!.Status);
    }

    [Fact]
    public async Task Completion_records_status_counts_report_and_error()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File(), "exec-1", Now);
        var completion = Done(FileStatus.Failed);

        Assert.True(await ledger.CompleteAsync(File(), completion));

        var entry = await ledger.GetAsync("ingestion", "incoming/students.json", "v1");
        Assert.NotNull(entry);
        Assert.Equal(FileStatus.Failed, entry.Status);
        Assert.Equal(completion.CompletedAt, entry.CompletedAt);
        Assert.Equal(completion.Counts, entry.Counts);
        Assert.Equal(completion.ReportKey, entry.ReportKey);
        Assert.Equal(completion.Error, entry.Error);
        Assert.Equal((File().ETag, File().Size, File().SourceTime), (entry.ETag, entry.Size, entry.SourceTime));
    }

    [Fact]
    public async Task Completion_without_registration_creates_the_entry()
    {
        var ledger = await CreateLedgerAsync(Lease);

        Assert.True(await ledger.CompleteAsync(File(), Done(FileStatus.Quarantined)));

        var entry = await ledger.GetAsync("ingestion", "incoming/students.json", "v1");
        Assert.Equal(FileStatus.Quarantined, entry?.Status);
        Assert.Equal(RegistrationStatus.AlreadyProcessed, (await ledger.RegisterAsync(File(), "exec-2", Now)).Status);
    }

    [Fact]
    public async Task Unknown_entry_is_null()
    {
        var ledger = await CreateLedgerAsync(Lease);
        Assert.Null(await ledger.GetAsync("ingestion", "incoming/none.json", "v1"));
    }

    [Fact]
    public async Task History_lists_newest_first_and_filters_by_key()
    {
        var ledger = await CreateLedgerAsync(Lease);
        await ledger.RegisterAsync(File("v1", "incoming/a.json"), "e1", Now);
        await ledger.RegisterAsync(File("v1", "incoming/b.json"), "e2", Now.AddMinutes(1));
        await ledger.RegisterAsync(File("v2", "incoming/a.json"), "e3", Now.AddMinutes(2));

        var all = await ledger.ListAsync().Select(e => e.ExecutionName).ToListAsync();
        var a = await ledger.ListAsync("incoming/a.json").Select(e => e.ExecutionName).ToListAsync();
        var newest = await ledger.ListAsync(limit: 1).Select(e => e.ExecutionName).ToListAsync();

        Assert.Equal(["e3", "e2", "e1"], all);
        Assert.Equal(["e3", "e1"], a);
        Assert.Equal(["e3"], newest);
    }

    [Fact]
    public async Task Concurrent_registrations_let_exactly_one_execution_through()
    {
        var ledger = await CreateLedgerAsync(Lease);

        var results = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => ledger.RegisterAsync(File(), $"exec-{i}", Now))));

        Assert.Single(results, r => r.Status == RegistrationStatus.Registered);
    }
}
