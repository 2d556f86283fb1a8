using System.Globalization;
using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using A = Ingestion.Storage.Aws.DynamoDb.DynamoDbSchema.Student;

namespace Ingestion.Storage.Aws.DynamoDb;

/// <summary>How a <see cref="DynamoDbStudentStore"/> works.</summary>
public sealed record DynamoDbStudentStoreOptions
{
    public string TableName { get; init; } = DynamoDbSchema.StudentsTable;

    /// <summary>CreatedAt and UpdatedAt.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How throttled calls and unprocessed keys are retried.</summary>
    public BackoffPolicy Retry { get; init; } = BackoffPolicy.Default;

    /// <summary>Conditional writes of one batch in flight at once.</summary>
    public int MaxParallelWrites { get; init; } = 16;

    /// <summary>Conditional writes of one item tried against concurrent writers before <see cref="StorageContentionException"/>.</summary>
    public int MaxConditionalAttempts { get; init; } = 10;
}

/// <summary>The <see cref="IStudentStore"/> on AWS: the <c>StudentRecords</c> table (see <see cref="DynamoDbSchema"/>).</summary>
/// <remarks>
/// <para>
/// Read first, write only what changed: a batch's stored versions come from BatchGetItem (100 keys a call,
/// strongly consistent, projected to the ordering fields, the hash and the two times; unprocessed keys retried),
/// the outcomes are decided by <see cref="StoreRules"/> exactly as in the SQLite store, and only the final state of
/// each created or updated student is written. A nightly export that changed nothing costs reads, no writes.
/// </para>
/// <para>
/// Each write is a PutItem conditioned on the item still being the version the outcome was decided against
/// (<c>attribute_not_exists(StudentID)</c> for a new student; otherwise equal SourceTime, SourceKey, SourceVersion,
/// SourceIndex, ContentHash and CreatedAt). DynamoDB thus applies a write only when the ordering rule held against
/// the item it replaces, so a newer record is never overwritten and concurrent Lambdas lose no update. A failed
/// condition is an outcome, not an error: someone else wrote the item in between; it is read again and the
/// student's records in the batch are decided again (stale, unchanged or replayed, or another conditional write).
/// The rules stay in one place (<see cref="StoreRules"/>), and no server string collation is involved (equality
/// only): DynamoDB orders strings by UTF-8 bytes, dynalite by UTF-16 code units, <see cref="StoreRules"/> ordinally.
/// </para>
/// <para>
/// The seen marker of an unchanged student (<see cref="StoreRules.MarksSeen"/>, only while an older export is
/// outstanding) is an UpdateItem <c>SET SeenTime</c> under the same condition, which also covers SeenTime itself
/// (equal, or absent): a marker and an older export's write racing each other cannot both land on the version they
/// read, so the loser reads again and is decided again (the older export then comes out stale).
/// </para>
/// </remarks>
public sealed class DynamoDbStudentStore : IStudentStore, IDisposable
{
    private const int BatchGetLimit = 100;

    private static readonly Dictionary<string, string> VersionNames = new(StringComparer.Ordinal)
    {
        ["#id"] = A.StudentId,
        ["#sk"] = A.SourceKey,
        ["#sv"] = A.SourceVersion,
        ["#st"] = A.SourceTime,
        ["#si"] = A.SourceIndex,
        ["#h"] = A.ContentHash,
        ["#c"] = A.CreatedAt,
        ["#u"] = A.UpdatedAt,
        ["#sn"] = A.SeenTime,
    };

    private const string VersionProjection = "#id, #sk, #sv, #st, #si, #h, #c, #u, #sn";

    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly DynamoDbStudentStoreOptions _options;
    private readonly DynamoDbCaller _caller;

    /// <param name="ownsClient">Whether disposing the store disposes <paramref name="client"/>.</param>
    public DynamoDbStudentStore(IAmazonDynamoDB client, DynamoDbStudentStoreOptions? options = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        _options = options ?? new DynamoDbStudentStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxParallelWrites, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConditionalAttempts, 1);
        _caller = new DynamoDbCaller(
            new AwsResource("DynamoDB table", _options.TableName, AwsConnection.Describe(client.Config),
                "deploy the stack or create the table, or set STUDENTS_TABLE to the table's name"),
            _options.Retry);
    }

    private string Table => _options.TableName;

    public async Task<IReadOnlyList<StoreOutcome>> StoreBatchAsync(StudentSource source, IReadOnlyList<IncomingStudent> students, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(students);
        if (students.Count == 0)
        {
            return [];
        }

        // Each student's records in index order: duplicates resolve in file order, as in every adapter.
        var chains = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(0, students.Count).OrderBy(i => students[i].Index))
        {
            var id = students[i].Student.StudentId;
            if (!chains.TryGetValue(id, out var chain))
            {
                chains[id] = chain = [];
            }

            chain.Add(i);
        }

        var stored = await ReadStatesAsync(chains.Keys, cancellationToken);
        var outcomes = new StoreOutcome[students.Count];
        var writes = new List<(List<int> Chain, StoredState? Expected, ChainWrite Write)>();
        foreach (var (id, chain) in chains)
        {
            var expected = stored.GetValueOrDefault(id);
            var write = Decide(students, chain, expected, source, outcomes);
            if (write.Any)
            {
                writes.Add((chain, expected, write));
            }
        }

        if (writes.Count > 0)
        {
            var now = TimeFormat.ToStorage(_options.Clock.GetUtcNow());
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelWrites, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(writes, parallel, async (write, token) =>
                await WriteChainAsync(source, students, write.Chain, write.Expected, write.Write, now, outcomes, token));
        }

        return outcomes;
    }

    public async Task<StoredStudent?> GetAsync(string studentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(studentId);
        var response = await _caller.CallAsync(token => _client.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = KeyOf(studentId),
            ConsistentRead = true,
        }, token), cancellationToken);
        return response.Item is { Count: > 0 } item ? ReadStudent(item) : null;
    }

    /// <remarks>
    /// By department: a Query of the <c>Department</c> index, already in StudentID order (a GSI is eventually
    /// consistent: a write of the last second may be missing). All students: a Scan, sorted here; it holds the
    /// whole table in memory, which suits an operator's listing, not a million-student export.
    /// </remarks>
    public async IAsyncEnumerable<StoredStudent> ListAsync(string? department = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (department is not null)
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await _caller.CallAsync(token => _client.QueryAsync(new QueryRequest
                {
                    TableName = Table,
                    IndexName = DynamoDbSchema.DepartmentIndex,
                    KeyConditionExpression = "#d = :d",
                    ExpressionAttributeNames = new() { ["#d"] = A.Department },
                    ExpressionAttributeValues = new() { [":d"] = new AttributeValue { S = department } },
                    ExclusiveStartKey = start,
                }, token), cancellationToken);
                foreach (var item in page.Items ?? [])
                {
                    yield return ReadStudent(item);
                }

                start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
            }
            while (start is not null);

            yield break;
        }

        var all = new List<StoredStudent>();
        Dictionary<string, AttributeValue>? from = null;
        do
        {
            var page = await _caller.CallAsync(token => _client.ScanAsync(new ScanRequest
            {
                TableName = Table,
                ConsistentRead = true,
                ExclusiveStartKey = from,
            }, token), cancellationToken);
            all.AddRange((page.Items ?? []).Select(ReadStudent));
            from = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (from is not null);

        all.Sort((a, b) => string.CompareOrdinal(a.StudentId, b.StudentId));
        foreach (var student in all)
        {
            yield return student;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Decides a student's records in index order; returns what to write: the record's final state, the seen marker, or nothing.</summary>
    private static ChainWrite Decide(IReadOnlyList<IncomingStudent> students, List<int> chain, StoredState? stored, StudentSource source, StoreOutcome[] outcomes)
    {
        var version = stored?.Version;
        var writer = -1;
        var marksSeen = false;
        foreach (var i in chain)
        {
            var incoming = students[i];
            var outcome = StoreRules.Decide(version, source, incoming.Index, incoming.ContentHash);
            outcomes[i] = outcome;
            if (outcome.Kind is StoreOutcomeKind.Created or StoreOutcomeKind.Updated)
            {
                version = StoreRules.AfterWrite(version, source, incoming.Index, incoming.ContentHash);
                writer = i;
            }
            else if (outcome.Kind == StoreOutcomeKind.Unchanged && StoreRules.MarksSeen(version!.Value, source))
            {
                version = StoreRules.AfterSeen(version.Value, source);
                marksSeen = true;
            }
        }

        return new ChainWrite(writer, marksSeen && writer < 0);
    }

    private async Task WriteChainAsync(
        StudentSource source, IReadOnlyList<IncomingStudent> students, List<int> chain, StoredState? expected, ChainWrite write, string now, StoreOutcome[] outcomes, CancellationToken cancellationToken)
    {
        var id = students[chain[0]].Student.StudentId;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (write.Writer >= 0)
                {
                    await _caller.CallAsync(token => _client.PutItemAsync(WriteRequest(students[write.Writer], source, now, expected), token), cancellationToken);
                }
                else
                {
                    await _caller.CallAsync(token => _client.UpdateItemAsync(MarkSeenRequest(id, source, expected!), token), cancellationToken);
                }

                return;
            }
            catch (ConditionalCheckFailedException)
            {
                // Someone else wrote the student since it was read: decide again against what is there now.
                if (attempt >= _options.MaxConditionalAttempts)
                {
                    throw new StorageContentionException(_caller.Resource.ToString(),
                        $"Student '{id}' in {_caller.Resource} changed under {attempt} conditional writes in a row: too many concurrent writers on one student; retry the batch.");
                }

                expected = await ReadStateAsync(id, cancellationToken);
                write = Decide(students, chain, expected, source, outcomes);
                if (!write.Any)
                {
                    return;
                }
            }
        }
    }

    private PutItemRequest WriteRequest(IncomingStudent incoming, StudentSource source, string now, StoredState? expected)
    {
        var student = incoming.Student;
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [A.StudentId] = S(student.StudentId),
            [A.Name] = S(student.Name),
            [A.Department] = S(student.Department),
            [A.Email] = S(student.Email),
            [A.CreatedAt] = S(expected?.CreatedAt ?? now),
            [A.UpdatedAt] = S(now),
            [A.SourceKey] = S(source.Key),
            [A.SourceVersion] = S(source.Version),
            [A.SourceTime] = S(TimeFormat.ToStorage(source.Time)),
            [A.SourceIndex] = new AttributeValue { N = incoming.Index.ToString(CultureInfo.InvariantCulture) },
            [A.ContentHash] = S(incoming.ContentHash),
        };
        if (student.ExtrasJson is not null)
        {
            item[A.Extras] = S(student.ExtrasJson);
        }

        // The seen marker stays, as the SQLite upsert leaves it (see StoreRules.AfterWrite).
        if (expected?.SeenTime is { } seen)
        {
            item[A.SeenTime] = S(seen);
        }

        var request = new PutItemRequest { TableName = Table, Item = item };
        if (expected is null)
        {
            request.ConditionExpression = "attribute_not_exists(#id)";
            request.ExpressionAttributeNames = new() { ["#id"] = A.StudentId };
        }
        else
        {
            (request.ConditionExpression, request.ExpressionAttributeNames, request.ExpressionAttributeValues) = Unchanged(expected);
        }

        return request;
    }

    /// <summary>SET SeenTime to the source's time, on the item exactly as it was read.</summary>
    private UpdateItemRequest MarkSeenRequest(string studentId, StudentSource source, StoredState expected)
    {
        var (condition, names, values) = Unchanged(expected);
        values[":seen"] = S(TimeFormat.ToStorage(source.Time));
        return new UpdateItemRequest
        {
            TableName = Table,
            Key = KeyOf(studentId),
            UpdateExpression = "SET #sn = :seen",
            ConditionExpression = condition,
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
        };
    }

    /// <summary>
    /// The condition that the item is still the version decided against: its source, hash and CreatedAt, and its
    /// seen marker (a marker written in between can turn the decision into stale).
    /// </summary>
    private static (string Condition, Dictionary<string, string> Names, Dictionary<string, AttributeValue> Values) Unchanged(StoredState expected)
    {
        // The projection's names but the key and UpdatedAt: DynamoDB refuses a name the expression does not use.
        var names = VersionNames.Where(name => name.Key is not ("#id" or "#u")).ToDictionary(StringComparer.Ordinal);
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":sk"] = S(expected.Version.SourceKey),
            [":sv"] = S(expected.Version.SourceVersion),
            [":st"] = S(expected.SourceTime),
            [":si"] = new AttributeValue { N = expected.SourceIndex },
            [":h"] = S(expected.Version.ContentHash),
            [":c"] = S(expected.CreatedAt),
        };
        var seen = "attribute_not_exists(#sn)";
        if (expected.SeenTime is { } stored)
        {
            values[":sn"] = S(stored);
            seen = "#sn = :sn";
        }

        return ($"#sk = :sk AND #sv = :sv AND #st = :st AND #si = :si AND #h = :h AND #c = :c AND {seen}", names, values);
    }

    private async Task<Dictionary<string, StoredState>> ReadStatesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var chunks = await Task.WhenAll(ids.Chunk(BatchGetLimit).Select(chunk => ReadChunkAsync(chunk, cancellationToken)));
        var states = new Dictionary<string, StoredState>(StringComparer.Ordinal);
        foreach (var item in chunks.SelectMany(c => c))
        {
            states[item[A.StudentId].S] = ReadState(item);
        }

        return states;
    }

    /// <summary>One BatchGetItem of up to 100 keys, retrying unprocessed keys with backoff until none are left.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> ReadChunkAsync(string[] ids, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>(ids.Length);
        var keys = ids.Select(KeyOf).ToList();
        var retry = 0;
        while (true)
        {
            var request = new BatchGetItemRequest
            {
                RequestItems = new()
                {
                    [Table] = new KeysAndAttributes
                    {
                        Keys = keys,
                        ConsistentRead = true,
                        ProjectionExpression = VersionProjection,
                        ExpressionAttributeNames = VersionNames,
                    },
                },
            };
            var response = await _caller.CallAsync(token => _client.BatchGetItemAsync(request, token), cancellationToken);
            var got = response.Responses?.GetValueOrDefault(Table);
            if (got is not null)
            {
                items.AddRange(got);
            }

            if (response.UnprocessedKeys?.GetValueOrDefault(Table)?.Keys is not { Count: > 0 } left)
            {
                return items;
            }

            // Unprocessed keys are throttling by another name: back off, starting over whenever some keys got through.
            retry = got is { Count: > 0 } ? 1 : retry + 1;
            if (retry >= _caller.Retry.MaxAttempts)
            {
                throw _caller.Throttled($"{left.Count} unprocessed keys", retry);
            }

            await _caller.Retry.WaitAsync(retry, cancellationToken);
            keys = left;
        }
    }

    private async Task<StoredState?> ReadStateAsync(string studentId, CancellationToken cancellationToken)
    {
        var response = await _caller.CallAsync(token => _client.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = KeyOf(studentId),
            ConsistentRead = true,
            ProjectionExpression = VersionProjection,
            ExpressionAttributeNames = VersionNames,
        }, token), cancellationToken);
        return response.Item is { Count: > 0 } item ? ReadState(item) : null;
    }

    private static Dictionary<string, AttributeValue> KeyOf(string studentId) => new(StringComparer.Ordinal) { [A.StudentId] = S(studentId) };

    private static AttributeValue S(string value) => new() { S = value };

    private static StoredState ReadState(Dictionary<string, AttributeValue> item)
    {
        var sourceTime = item[A.SourceTime].S;
        var sourceIndex = item[A.SourceIndex].N;
        var createdAt = item[A.CreatedAt].S;
        var seenTime = item.TryGetValue(A.SeenTime, out var seen) ? seen.S : null;
        var version = new StoredVersion(
            item[A.SourceKey].S,
            item[A.SourceVersion].S,
            TimeFormat.FromStorage(sourceTime),
            long.Parse(sourceIndex, CultureInfo.InvariantCulture),
            item[A.ContentHash].S,
            string.Equals(createdAt, item[A.UpdatedAt].S, StringComparison.Ordinal),
            seenTime is null ? null : TimeFormat.FromStorage(seenTime));
        return new StoredState(version, sourceTime, sourceIndex, createdAt, seenTime);
    }

    private static StoredStudent ReadStudent(Dictionary<string, AttributeValue> item) => new(
        item[A.StudentId].S,
        item[A.Name].S,
        item[A.Department].S,
        item[A.Email].S,
        item.TryGetValue(A.Extras, out var extras) ? extras.S : null,
        TimeFormat.FromStorage(item[A.CreatedAt].S),
        TimeFormat.FromStorage(item[A.UpdatedAt].S),
        item[A.SourceKey].S,
        item[A.SourceVersion].S,
        TimeFormat.FromStorage(item[A.SourceTime].S),
        long.Parse(item[A.SourceIndex].N, CultureInfo.InvariantCulture),
        item[A.ContentHash].S)
    {
        SeenTime = item.TryGetValue(A.SeenTime, out var seen) ? TimeFormat.FromStorage(seen.S) : null,
    };

    /// <summary>A stored version with the exact stored strings the conditional write compares against.</summary>
    private sealed record StoredState(StoredVersion Version, string SourceTime, string SourceIndex, string CreatedAt, string? SeenTime);

    /// <summary>What one student's records write: the record <see cref="Writer"/> (-1: none), else the seen marker, or nothing.</summary>
    private readonly record struct ChainWrite(int Writer, bool MarksSeen)
    {
        public bool Any => Writer >= 0 || MarksSeen;
    }
}
