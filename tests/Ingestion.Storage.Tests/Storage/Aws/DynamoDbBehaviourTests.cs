using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using Ingestion.Storage.Aws;
using Ingestion.Storage.Aws.DynamoDb;
using Ingestion.Testing;

namespace Ingestion.Storage.Tests.Storage.Aws;

/// <summary>What the contract cannot see: request costs, throttling, and writers interleaving between read and write.</summary>
public sealed class DynamoDbBehaviourTests(DynaliteServer server) : IClassFixture<DynaliteServer>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 2, 0, 0, TimeSpan.Zero);

    private readonly string _table = AwsTestClients.Unique("students");
    private readonly List<IAmazonDynamoDB> _clients = [];
    private readonly ManualClock _clock = new();

    private static Student Ada(string name = "Ada Lovelace") => new("S-1000", name, "Mathematics", "ada@example.edu");

    private static StudentSource Source(string version, DateTimeOffset? time = null) => new("incoming/students.json", version, time ?? T0);

    private static IncomingStudent At(long index, Student student) => IncomingStudent.Create(index, student);

    private static List<IncomingStudent> Students(int count, string suffix = "") =>
        [.. Enumerable.Range(0, count).Select(i => At(i, new Student($"S-{i:D4}", $"Student {i}{suffix}", "Physics", $"s{i}@example.edu")))];

    private async Task<DynamoDbStudentStore> OpenAsync(RecordingHttp? http = null, BackoffPolicy? retry = null, int maxConditionalAttempts = 10)
    {
        var client = AwsTestClients.DynamoDb(server, http);
        _clients.Add(client);
        await DynamoDbSchema.CreateTableAsync(client, DynamoDbSchema.StudentsTableRequest(_table));
        return new DynamoDbStudentStore(client, new DynamoDbStudentStoreOptions
        {
            TableName = _table,
            Clock = _clock,
            Retry = retry ?? AwsTestClients.NoWait(),
            MaxConditionalAttempts = maxConditionalAttempts,
        });
    }

    [Fact]
    public async Task A_rerun_that_changed_nothing_costs_reads_and_no_writes()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http);
        var students = Students(250);
        await store.StoreBatchAsync(Source("v1"), students);
        Assert.Equal((3, 250), (http.Count("BatchGetItem"), http.Count("PutItem")));
        http.Clear();

        var replayed = await store.StoreBatchAsync(Source("v1"), students);
        var nightly = await store.StoreBatchAsync(Source("v2", T0.AddDays(1)), students);

        Assert.All(replayed, o => Assert.Equal(StoreOutcomeKind.Replayed, o.Kind));
        Assert.All(nightly, o => Assert.Equal(StoreOutcomeKind.Unchanged, o.Kind));
        Assert.Equal(["BatchGetItem"], http.Sent.Select(r => r.Operation).Distinct());
        Assert.Equal(6, http.Count("BatchGetItem"));
    }

    [Fact]
    public async Task Only_changed_students_are_written()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http);
        var students = Students(120);
        await store.StoreBatchAsync(Source("v1"), students);
        http.Clear();
        students[7] = At(7, students[7].Student with { Name = "Renamed" });
        students[99] = At(99, students[99].Student with { Email = "new@example.edu" });

        var outcomes = await store.StoreBatchAsync(Source("v2", T0.AddDays(1)), students);

        Assert.Equal(2, outcomes.Count(o => o.Kind == StoreOutcomeKind.Updated));
        Assert.Equal(2, http.Count("PutItem"));
    }

    [Fact]
    public async Task Batch_reads_ask_for_at_most_100_keys_consistently_and_only_the_fields_the_rules_need()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http);

        await store.StoreBatchAsync(Source("v1"), Students(250));

        var reads = http.Sent.Where(r => r.Operation == "BatchGetItem").Select(r => JsonNode.Parse(r.Body)!["RequestItems"]![_table]!).ToList();
        Assert.Equal([100, 100, 50], reads.Select(r => r["Keys"]!.AsArray().Count).Order().Reverse());
        Assert.All(reads, r => Assert.True(r["ConsistentRead"]!.GetValue<bool>()));
        var projected = reads[0]["ExpressionAttributeNames"]!.AsObject().Select(p => p.Value!.GetValue<string>()).Order(StringComparer.Ordinal);
        // The ordering fields, the hash, the two times, and the seen marker.
        Assert.Equal(["ContentHash", "CreatedAt", "SeenTime", "SourceIndex", "SourceKey", "SourceTime", "SourceVersion", "StudentID", "UpdatedAt"], projected);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException")]
    [InlineData("ThrottlingException")]
    [InlineData("RequestLimitExceeded")]
    public async Task Throttled_calls_are_retried_with_exponential_backoff_and_full_jitter(string code)
    {
        var http = new RecordingHttp();
        var waits = new List<TimeSpan>();
        var store = await OpenAsync(http, AwsTestClients.NoWait(waits, random: 0.5));
        var throttled = new Dictionary<string, int> { ["BatchGetItem"] = 3, ["PutItem"] = 2 };
        http.Intercept = request =>
        {
            lock (throttled)
            {
                if (throttled.GetValueOrDefault(request.Operation) is > 0 and var left)
                {
                    throttled[request.Operation] = left - 1;
                    return Task.FromResult<HttpResponseMessage?>(RecordingHttp.DynamoDbError(code, "Rate of requests exceeds the allowed throughput."));
                }
            }

            return Task.FromResult<HttpResponseMessage?>(null);
        };

        var outcome = Assert.Single(await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]));

        Assert.Equal(StoreOutcome.Created, outcome);
        Assert.Equal((4, 3), (http.Count("BatchGetItem"), http.Count("PutItem")));
        // Half of min(5 s, 50 ms · 2^(n-1)) before retry n: the random draw scales the whole interval.
        Assert.Equal([25, 50, 100, 25, 50], waits.Select(w => w.TotalMilliseconds));
    }

    [Fact]
    public async Task Throttling_beyond_the_bound_fails_with_one_line_naming_the_table()
    {
        var http = new RecordingHttp();
        var waits = new List<TimeSpan>();
        var store = await OpenAsync(http, AwsTestClients.NoWait(waits) with { MaxAttempts = 4 });
        http.Intercept = request => Task.FromResult(request.Operation == "PutItem"
            ? RecordingHttp.DynamoDbError("ProvisionedThroughputExceededException", "Rate exceeded")
            : null);

        var error = await Assert.ThrowsAsync<StorageThrottledException>(() => store.StoreBatchAsync(Source("v1"), [At(0, Ada())]));

        Assert.Equal((4, 3), (http.Count("PutItem"), waits.Count));
        AwsErrorTests.AssertOneLine(error.Message, _table);
    }

    [Fact]
    public void Backoff_grows_exponentially_up_to_the_cap_and_jitters_over_the_whole_interval()
    {
        var policy = new BackoffPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), NextRandom = () => 0.999999 };

        var ceilings = Enumerable.Range(1, 6).Select(n => Math.Round(policy.Backoff(n).TotalMilliseconds)).ToList();

        Assert.Equal([100, 200, 400, 800, 1000, 1000], ceilings);
        Assert.Equal(TimeSpan.Zero, (policy with { NextRandom = () => 0 }).Backoff(5));
    }

    [Fact]
    public async Task Unprocessed_keys_are_asked_for_again_after_a_backoff()
    {
        var http = new RecordingHttp();
        var waits = new List<TimeSpan>();
        var store = await OpenAsync(http, AwsTestClients.NoWait(waits));
        await store.StoreBatchAsync(Source("v1"), Students(3));
        http.Clear();
        var first = true;
        http.Intercept = request =>
        {
            if (request.Operation != "BatchGetItem" || !first)
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            // As DynamoDB under pressure: nothing read, every key handed back.
            first = false;
            var asked = JsonNode.Parse(request.Body)!["RequestItems"]!;
            var answer = new JsonObject { ["Responses"] = new JsonObject(), ["UnprocessedKeys"] = asked.DeepClone() };
            return Task.FromResult<HttpResponseMessage?>(RecordingHttp.DynamoDbOk(answer.ToJsonString()));
        };
        waits.Clear();

        var outcomes = await store.StoreBatchAsync(Source("v1"), Students(3));

        Assert.All(outcomes, o => Assert.Equal(StoreOutcomeKind.Replayed, o.Kind));
        Assert.Equal((2, 0), (http.Count("BatchGetItem"), http.Count("PutItem")));
        Assert.Single(waits);
    }

    [Fact]
    public async Task Keys_that_stay_unprocessed_end_in_a_throttling_error()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http, AwsTestClients.NoWait() with { MaxAttempts = 3 });
        http.Intercept = request => Task.FromResult(request.Operation != "BatchGetItem" ? null : RecordingHttp.DynamoDbOk(
            new JsonObject { ["Responses"] = new JsonObject(), ["UnprocessedKeys"] = JsonNode.Parse(request.Body)!["RequestItems"]!.DeepClone() }.ToJsonString()));

        await Assert.ThrowsAsync<StorageThrottledException>(() => store.StoreBatchAsync(Source("v1"), Students(2)));

        Assert.Equal(3, http.Count("BatchGetItem"));
    }

    /// <summary>Runs <paramref name="between"/> after the store has read, just before its first write goes out.</summary>
    private static void BetweenReadAndWrite(RecordingHttp http, Func<Task> between)
    {
        var done = 0;
        http.Intercept = async request =>
        {
            if (request.Operation is "PutItem" or "UpdateItem" && Interlocked.Exchange(ref done, 1) == 0)
            {
                await between();
            }

            return null;
        };
    }

    [Fact]
    public async Task A_newer_export_written_between_read_and_write_makes_the_older_one_stale()
    {
        var http = new RecordingHttp();
        var older = await OpenAsync(http);
        var newer = await OpenAsync();
        BetweenReadAndWrite(http, () => newer.StoreBatchAsync(Source("v2", T0.AddDays(1)), [At(0, Ada("Ada King"))]));

        var outcomes = await older.StoreBatchAsync(Source("v1"), [At(1, Ada("First")), At(4, Ada("Second"))]);

        Assert.Equal([StoreOutcome.Stale, StoreOutcome.Stale], outcomes);
        Assert.Equal(("Ada King", "v2"), ((await newer.GetAsync("S-1000"))!.Name, (await newer.GetAsync("S-1000"))!.SourceVersion));
        Assert.Equal((1, 1), (http.Count("PutItem"), http.Count("GetItem")));
    }

    [Fact]
    public async Task A_seen_marker_set_between_read_and_write_makes_the_older_export_stale()
    {
        var http = new RecordingHttp();
        var older = await OpenAsync(http);
        var newer = await OpenAsync();
        await newer.StoreBatchAsync(Source("a"), [At(0, Ada())]);
        var confirmed = Source("c", T0.AddHours(2)) with { OlderPending = true };
        BetweenReadAndWrite(http, () => newer.StoreBatchAsync(confirmed, [At(0, Ada())]));

        var outcome = Assert.Single(await older.StoreBatchAsync(Source("b", T0.AddHours(1)), [At(0, Ada("Ada King"))]));

        // The put was conditioned on SeenTime too: it failed, and the student read again was decided stale.
        Assert.Equal(StoreOutcome.Stale, outcome);
        var stored = await newer.GetAsync("S-1000");
        Assert.Equal(("Ada Lovelace", "a", T0.AddHours(2)), (stored!.Name, stored.SourceVersion, stored.SeenTime));
        Assert.Equal((1, 1), (http.Count("PutItem"), http.Count("GetItem")));
    }

    [Fact]
    public async Task An_older_export_written_between_read_and_seen_marker_is_overwritten_by_the_newer_content()
    {
        var http = new RecordingHttp();
        var newer = await OpenAsync(http);
        var older = await OpenAsync();
        await older.StoreBatchAsync(Source("a"), [At(0, Ada())]);
        BetweenReadAndWrite(http, () => older.StoreBatchAsync(Source("b", T0.AddHours(1)), [At(0, Ada("Ada King"))]));

        var outcome = Assert.Single(await newer.StoreBatchAsync(Source("c", T0.AddHours(2)) with { OlderPending = true }, [At(0, Ada())]));

        // The marker's condition failed; read again, the student holds the older export's content, which the newer one replaces.
        Assert.Equal(StoreOutcome.Updated, outcome);
        var stored = await newer.GetAsync("S-1000");
        Assert.Equal(("Ada Lovelace", "c"), (stored!.Name, stored.SourceVersion));
        Assert.Equal((1, 1), (http.Count("UpdateItem"), http.Count("PutItem")));
    }

    [Fact]
    public async Task An_older_export_written_between_read_and_write_is_overwritten_and_the_write_counts_as_an_update()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http);
        var other = await OpenAsync();
        BetweenReadAndWrite(http, () => other.StoreBatchAsync(Source("v0", T0.AddDays(-1)), [At(0, Ada("Ada Byron"))]));

        var outcome = Assert.Single(await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]));

        Assert.Equal(StoreOutcome.Updated, outcome);
        var stored = await store.GetAsync("S-1000");
        Assert.Equal(("Ada Lovelace", "v1"), (stored!.Name, stored.SourceVersion));
        Assert.Equal(2, http.Count("PutItem"));
    }

    [Fact]
    public async Task The_same_content_written_between_read_and_write_makes_the_write_unchanged()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http);
        var other = await OpenAsync();
        BetweenReadAndWrite(http, () => other.StoreBatchAsync(Source("v0", T0.AddDays(-1)), [At(0, Ada())]));

        var outcome = Assert.Single(await store.StoreBatchAsync(Source("v1"), [At(0, Ada())]));

        Assert.Equal(StoreOutcome.Unchanged, outcome);
        Assert.Equal("v0", (await store.GetAsync("S-1000"))!.SourceVersion);
        Assert.Equal(1, http.Count("PutItem"));
    }

    [Fact]
    public async Task Writers_that_keep_winning_the_race_end_in_a_contention_error_not_a_loop()
    {
        var http = new RecordingHttp();
        var store = await OpenAsync(http, maxConditionalAttempts: 3);
        http.Intercept = request => Task.FromResult(request.Operation == "PutItem"
            ? RecordingHttp.DynamoDbError("ConditionalCheckFailedException", "The conditional request failed")
            : null);

        var error = await Assert.ThrowsAsync<StorageContentionException>(() => store.StoreBatchAsync(Source("v1"), [At(0, Ada())]));

        Assert.Equal((3, 2), (http.Count("PutItem"), http.Count("GetItem")));
        AwsErrorTests.AssertOneLine(error.Message, _table);
    }

    [Fact]
    public async Task Many_writers_racing_on_the_same_students_leave_the_newest_export_everywhere()
    {
        var stores = new List<DynamoDbStudentStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await OpenAsync());
        }

        // Eight exports of 60 students, each with new content, written by four clients in a scrambled order.
        var order = Enumerable.Range(0, 8).OrderBy(e => (e * 5) % 8).ToList();
        var writes = order.Select((export, n) => Task.Run(() =>
            stores[n % stores.Count].StoreBatchAsync(Source($"v{export}", T0.AddHours(export)), Students(60, $" e{export}")))).ToList();
        var outcomes = (await Task.WhenAll(writes)).SelectMany(o => o).ToList();

        var stored = await stores[0].ListAsync().ToListAsync();
        Assert.Equal(60, stored.Count);
        Assert.All(stored, s => Assert.Equal(("v7", true), (s.SourceVersion, s.Name.EndsWith(" e7", StringComparison.Ordinal))));
        Assert.Equal(60, outcomes.Count(o => o.Kind == StoreOutcomeKind.Created));
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}

/// <summary>How the AWS clients are configured from an endpoint and a region.</summary>
public sealed class AwsClientSettingsTests
{
    [Fact]
    public void An_endpoint_that_is_not_a_url_is_a_configuration_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => DynamoDbClients.Create(new AwsConnection("localhost:8000")));

        Assert.Contains("localhost:8000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoint_url_wins_and_no_region_is_set_after_it()
    {
        using var client = DynamoDbClients.Create(new AwsConnection("http://127.0.0.1:8000", "eu-west-1"));

        Assert.Equal("http://127.0.0.1:8000", client.Config.ServiceURL?.TrimEnd('/'));
        Assert.Null(client.Config.RegionEndpoint);
        Assert.Equal("eu-west-1", client.Config.AuthenticationRegion);
        Assert.Equal(0, client.Config.MaxErrorRetry);
    }
}
