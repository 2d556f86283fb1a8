using Ingestion.Domain.Storage;

namespace Ingestion.Storage.Tests.Storage;

/// <summary>
/// The seen marker (#17 point 2): A stored, C (newer, same content) unchanged, then B (between them in time, other
/// content, late) must not overwrite C's confirmation of A's content.
/// </summary>
public abstract partial class StudentStoreContract
{
    private static readonly DateTimeOffset TimeA = T0;
    private static readonly DateTimeOffset TimeB = T0.AddHours(1);
    private static readonly DateTimeOffset TimeC = T0.AddHours(2);

    private static StudentSource Pending(StudentSource source) => source with { OlderPending = true };

    [Fact]
    public async Task A_late_older_export_is_stale_after_a_newer_one_confirmed_the_content_while_it_was_outstanding()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 0, Ada());
        Clock.Advance(TimeSpan.FromHours(2));

        var confirmed = await StoreOneAsync(store, Pending(Source("c", TimeC, "incoming/c.json")), 0, Ada());
        var marked = await store.GetAsync("S-1000");
        var late = await StoreOneAsync(store, Source("b", TimeB, "incoming/b.json"), 0, Ada("Ada King"));

        Assert.Equal((StoreOutcome.Unchanged, StoreOutcome.Stale), (confirmed, late));
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(("Ada Lovelace", "incoming/a.json", TimeA, TimeC), (stored!.Name, stored.SourceKey, stored.SourceTime, stored.SeenTime));
        Assert.Equal(marked, stored);
    }

    [Fact]
    public async Task An_unchanged_record_with_no_older_export_outstanding_writes_nothing()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 0, Ada());
        var before = await store.GetAsync("S-1000");
        Clock.Advance(TimeSpan.FromHours(2));

        var outcome = await StoreOneAsync(store, Source("c", TimeC, "incoming/c.json"), 0, Ada());

        // The nightly re-run's path: no marker, no write; an older export found later is ordered as before.
        Assert.Equal(StoreOutcome.Unchanged, outcome);
        Assert.Equal(before, await store.GetAsync("S-1000"));
        Assert.Null(before!.SeenTime);
    }

    [Fact]
    public async Task The_seen_marker_leaves_a_replay_of_the_stored_write_replayed()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 4, Ada());
        await StoreOneAsync(store, Pending(Source("c", TimeC, "incoming/c.json")), 0, Ada());

        var replay = await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 4, Ada());

        Assert.Equal(StoreOutcome.Replayed(ofCreate: true), replay);
        Assert.Equal(TimeC, (await store.GetAsync("S-1000"))!.SeenTime);
    }

    [Fact]
    public async Task An_older_export_with_the_confirmed_content_stays_unchanged_and_the_marker_never_moves_back()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 0, Ada());
        await StoreOneAsync(store, Pending(Source("c", TimeC, "incoming/c.json")), 0, Ada());

        var same = await StoreOneAsync(store, Pending(Source("b", TimeB, "incoming/b.json")), 0, Ada());

        Assert.Equal(StoreOutcome.Unchanged, same);
        Assert.Equal(TimeC, (await store.GetAsync("S-1000"))!.SeenTime);
    }

    [Fact]
    public async Task A_newer_export_with_other_content_still_updates_a_marked_student()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 0, Ada());
        await StoreOneAsync(store, Pending(Source("c", TimeC, "incoming/c.json")), 0, Ada());

        var newer = await StoreOneAsync(store, Source("d", TimeC.AddHours(1), "incoming/d.json"), 0, Ada("Ada King"));
        var late = await StoreOneAsync(store, Source("b", TimeB, "incoming/b.json"), 0, Ada("Ada Byron"));

        Assert.Equal((StoreOutcome.Updated, StoreOutcome.Stale), (newer, late));
        Assert.Equal(("Ada King", "incoming/d.json"), ((await store.GetAsync("S-1000"))!.Name, (await store.GetAsync("S-1000"))!.SourceKey));
    }

    [Fact]
    public async Task Duplicates_in_a_batch_confirmed_then_changed_write_the_change_once()
    {
        var store = await CreateStoreAsync(Clock);
        await StoreOneAsync(store, Source("a", TimeA, "incoming/a.json"), 0, Ada());

        var outcomes = await store.StoreBatchAsync(Pending(Source("c", TimeC, "incoming/c.json")), [At(0, Ada()), At(1, Ada("Ada King"))]);

        Assert.Equal([StoreOutcome.Unchanged, StoreOutcome.Updated], outcomes);
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(("Ada King", 1L), (stored!.Name, stored.SourceIndex));
    }
}
