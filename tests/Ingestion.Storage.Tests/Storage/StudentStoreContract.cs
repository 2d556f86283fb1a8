using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>The semantics every <see cref="IStudentStore"/> adapter must have. Subclass it once per adapter.</summary>
public abstract partial class StudentStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    protected ManualClock Clock { get; } = new();

    /// <summary>A store over fresh, empty storage, using <paramref name="clock"/> for CreatedAt/UpdatedAt.</summary>
    protected abstract Task<IStudentStore> CreateStoreAsync(TimeProvider clock);

    /// <summary>Two independent writers (connections, clients, processes) over one fresh storage.</summary>
    protected abstract Task<(IStudentStore First, IStudentStore Second)> CreateTwoWritersAsync(TimeProvider clock);

    protected static Student Ada(string name = "Ada Lovelace", string? extras = null) =>
        new("S-1000", name, "Mathematics", "ada@example.edu", extras);

    protected static StudentSource Source(string version, DateTimeOffset? time = null, string key = "incoming/students.json") =>
        new(key, version, time ?? T0);

    protected static IncomingStudent At(long index, Student student) => IncomingStudent.Create(index, student);

    private static async Task<StoreOutcome> StoreOneAsync(IStudentStore store, StudentSource source, long index, Student student) =>
        (await store.StoreBatchAsync(source, [At(index, student)])).Single();

    [Fact]
    public async Task New_student_is_created_with_its_source()
    {
        var store = await CreateStoreAsync(Clock);
        var student = Ada(extras: """{"Year":2,"Tags":["a","b"],"Advisor":{"Name":"x"}}""");

        var outcome = await StoreOneAsync(store, Source("v1"), 7, student);

        Assert.Equal(StoreOutcome.Created, outcome);
        var stored = await store.GetAsync("S-1000");
        Assert.NotNull(stored);
        Assert.Equal(student, stored.ToStudent() with { ExtrasJson = stored.ExtrasJson });
        Assert.Equal(ContentHash.Compute(student), stored.ContentHash);
        Assert.Equal(ContentHash.Compute(student), ContentHash.Compute(stored.ToStudent()));
        Assert.Equal(Clock.GetUtcNow(), stored.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(("incoming/students.json", "v1", T0, 7L), (stored.SourceKey, stored.SourceVersion, stored.SourceTime, stored.SourceIndex));
    }

    [Fact]
    public async Task Extra_attributes_round_trip()
    {
        var store = await CreateStoreAsync(Clock);
        var student = Ada(extras: """{"Year":2,"Tags":["a","b"],"Advisor":{"Name":"x"},"Note":null}""");

        await StoreOneAsync(store, Source("v1"), 0, student);

        var stored = await store.GetAsync("S-1000");
        Assert.NotNull(stored?.ExtrasJson);
        Assert.Equal(ContentHash.Compute(student), ContentHash.Compute(stored.ToStudent()));
    }

    [Fact]
    public async Task Missing_student_is_null()
    {
        var store = await CreateStoreAsync(Clock);
        Assert.Null(await store.GetAsync("S-404"));
    }

    [Fact]
    public async Task Empty_batch_returns_no_outcomes()
    {
        var store = await CreateStoreAsync(Clock);
        Assert.Empty(await store.StoreBatchAsync(Source("v1"), []));
    }

    [Fact]
    public async Task Same_version_and_index_with_same_content_is_replayed_without_a_write()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 3, Ada());
        Clock.Advance(TimeSpan.FromMinutes(5));

        var outcome = await StoreOneAsync(store, Source("v1"), 3, Ada());

        Assert.Equal(StoreOutcome.Replayed(ofCreate: true), outcome);
        Assert.Equal("created", outcome.ChangeType);
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(stored!.CreatedAt, stored.UpdatedAt);
    }

    [Fact]
    public async Task Replay_of_an_update_announces_an_update()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 0, Ada());
        Clock.Advance(TimeSpan.FromMinutes(1));
        await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 0, Ada("Ada King"));
        Clock.Advance(TimeSpan.FromMinutes(1));

        var outcome = await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 0, Ada("Ada King"));

        Assert.Equal(StoreOutcome.Replayed(ofCreate: false), outcome);
        Assert.Equal("updated", outcome.ChangeType);
    }

    [Fact]
    public async Task Same_version_and_index_with_other_content_is_updated()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 3, Ada());

        var outcome = await StoreOneAsync(store, Source("v1"), 3, Ada("Ada King"));

        Assert.Equal(StoreOutcome.Updated, outcome);
        Assert.Equal("Ada King", (await store.GetAsync("S-1000"))!.Name);
    }

    [Fact]
    public async Task Newer_version_with_same_content_is_unchanged_and_not_written()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 3, Ada());
        var before = await store.GetAsync("S-1000");
        Clock.Advance(TimeSpan.FromHours(24));

        var outcome = await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 5, Ada());

        Assert.Equal(StoreOutcome.Unchanged, outcome);
        Assert.False(outcome.Notifies);
        Assert.Equal(before, await store.GetAsync("S-1000"));
    }

    [Fact]
    public async Task Content_hash_ignores_field_order_of_extras()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 0, Ada(extras: """{"Year":2,"Minor":"Physics"}"""));

        var outcome = await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 0, Ada(extras: """{"Minor":"Physics","Year":2}"""));

        Assert.Equal(StoreOutcome.Unchanged, outcome);
    }

    [Fact]
    public async Task Newer_version_with_other_content_is_updated_and_keeps_CreatedAt()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 3, Ada());
        var created = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromHours(24));

        var outcome = await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 9, Ada(extras: """{"Year":3}"""));

        Assert.Equal(StoreOutcome.Updated, outcome);
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(created, stored!.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Equal(("v2", 9L, T0.AddDays(1)), (stored.SourceVersion, stored.SourceIndex, stored.SourceTime));
        Assert.NotNull(stored.ExtrasJson);
    }

    [Fact]
    public async Task Older_export_is_stale_and_never_overwrites()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 0, Ada("Ada King"));

        var outcome = await StoreOneAsync(store, Source("v1", T0), 0, Ada());

        Assert.Equal(StoreOutcome.Stale, outcome);
        Assert.False(outcome.Notifies);
        Assert.Equal("Ada King", (await store.GetAsync("S-1000"))!.Name);
    }

    [Fact]
    public async Task Equal_times_order_by_key_then_version_then_index_ordinally()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1", T0, key: "incoming/b.json"), 0, Ada("B"));

        Assert.Equal(StoreOutcome.Stale, await StoreOneAsync(store, Source("v1", T0, key: "incoming/a.json"), 0, Ada("A")));
        Assert.Equal(StoreOutcome.Stale, await StoreOneAsync(store, Source("v0", T0, key: "incoming/b.json"), 5, Ada("C")));
        Assert.Equal(StoreOutcome.Updated, await StoreOneAsync(store, Source("v1", T0, key: "incoming/b.json"), 1, Ada("D")));
        Assert.Equal(StoreOutcome.Updated, await StoreOneAsync(store, Source("v2", T0, key: "incoming/b.json"), 0, Ada("E")));
        Assert.Equal("E", (await store.GetAsync("S-1000"))!.Name);
    }

    [Fact]
    public async Task Duplicates_within_a_batch_resolve_in_index_order()
    {
        var store = await CreateStoreAsync(Clock);

        var outcomes = await store.StoreBatchAsync(Source("v1"), [At(1, Ada("First")), At(4, Ada("Second")), At(6, Ada("Second"))]);

        Assert.Equal([StoreOutcome.Created, StoreOutcome.Updated, StoreOutcome.Unchanged], outcomes);
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(("Second", 4L), (stored!.Name, stored.SourceIndex));
    }

    [Fact]
    public async Task Last_occurrence_in_a_file_wins_whatever_order_batches_run_in()
    {
        var store = await CreateStoreAsync(Clock);

        var later = await store.StoreBatchAsync(Source("v1"), [At(700, Ada("Later"))]);
        var earlier = await store.StoreBatchAsync(Source("v1"), [At(3, Ada("Earlier"))]);

        Assert.Equal([StoreOutcome.Created], later);
        Assert.Equal([StoreOutcome.Stale], earlier);
        Assert.Equal("Later", (await store.GetAsync("S-1000"))!.Name);
    }

    [Fact]
    public async Task Outcomes_follow_the_order_of_the_input()
    {
        var store = await CreateStoreAsync(Clock);
        await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]);
        var bob = new Student("S-2000", "Bob", "Physics", "bob@example.edu");

        var outcomes = await store.StoreBatchAsync(Source("v2", T0.AddDays(1)), [At(5, bob), At(2, Ada())]);

        Assert.Equal([StoreOutcome.Created, StoreOutcome.Unchanged], outcomes);
    }

    [Fact]
    public async Task List_filters_by_department_ordered_by_StudentID()
    {
        var store = await CreateStoreAsync(Clock);
        await store.StoreBatchAsync(Source("v1"),
        [
            At(0, new Student("S-3", "C", "Physics", "c@example.edu")),
            At(1, new Student("S-1", "A", "Mathematics", "a@example.edu")),
            At(2, new Student("S-2", "B", "Physics", "b@example.edu")),
        ]);

        var physics = await store.ListAsync("Physics").Select(s => s.StudentId).ToListAsync();
        var all = await store.ListAsync().Select(s => s.StudentId).ToListAsync();

        Assert.Equal(["S-2", "S-3"], physics);
        Assert.Equal(["S-1", "S-2", "S-3"], all);
        Assert.Empty(await store.ListAsync("History").ToListAsync());
    }

    [Fact]
    public async Task Department_change_moves_the_student_between_listings()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("v1"), 0, Ada());
        await StoreOneAsync(store, Source("v2", T0.AddDays(1)), 0, Ada() with { Department = "Physics" });

        Assert.Empty(await store.ListAsync("Mathematics").ToListAsync());
        Assert.Single(await store.ListAsync("Physics").ToListAsync());
    }

    [Fact]
    public async Task Two_writers_on_one_storage_lose_no_update()
    {
        var (first, second) = await CreateTwoWritersAsync(Clock);
        const int Students = 200;
        const int Exports = 6;

        // Every export touches every student with new content; the newest export must win everywhere.
        var writes = new List<Task<IReadOnlyList<StoreOutcome>>>();
        for (var export = 0; export < Exports; export++)
        {
            var source = Source($"v{export}", T0.AddHours(export));
            for (var start = 0; start < Students; start += 50)
            {
                var batch = Enumerable.Range(start, 50)
                    .Select(i => At(i, new Student($"S-{i:D4}", $"Student {i} v{export}", "Physics", $"s{i}@example.edu")))
                    .ToList();
                var writer = (export + start / 50) % 2 == 0 ? first : second;
                writes.Add(Task.Run(() => writer.StoreBatchAsync(source, batch)));
            }
        }

        var outcomes = (await Task.WhenAll(writes)).SelectMany(o => o).ToList();

        Assert.Equal(Students, outcomes.Count(o => o.Kind == StoreOutcomeKind.Created));
        Assert.Equal(Students * Exports, outcomes.Count);
        var stored = await first.ListAsync().ToListAsync();
        Assert.Equal(Students, stored.Count);
        Assert.All(stored, s => Assert.Equal($"v{Exports - 1}", s.SourceVersion));
        Assert.All(stored, s => Assert.EndsWith($"v{Exports - 1}", s.Name, StringComparison.Ordinal));
    }
}
