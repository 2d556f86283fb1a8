using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;
using A = Ingestion.Storage.Aws.DynamoDb.DynamoDbSchema.File;

namespace Ingestion.Storage.Aws.DynamoDb;

/// <summary>How a <see cref="DynamoDbFileLedger"/> works.</summary>
public sealed record DynamoDbFileLedgerOptions
{
    public string TableName { get; init; } = DynamoDbSchema.FilesTable;

    /// <summary>How long an IN_PROGRESS entry blocks other executions when nobody completes it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How throttled calls are retried.</summary>
    public BackoffPolicy Retry { get; init; } = BackoffPolicy.Default;

    /// <summary>Conditional writes of one entry tried against concurrent writers before <see cref="StorageContentionException"/>.</summary>
    public int MaxConditionalAttempts { get; init; } = 10;
}

/// <summary>The <see cref="IFileLedger"/> on AWS: the <c>IngestionFiles</c> table (key schema in <see cref="DynamoDbSchema"/>).</summary>
/// <remarks>
/// Registration and completion read the entry (strongly consistent), decide with <see cref="LedgerRules"/> as every
/// adapter does, and write with a PutItem conditioned on the entry being what was read: absent, or the same
/// status, execution, registration time and attempt count. When another execution got there in between, the
/// condition fails and the decision is taken again on the new entry; of concurrent deliveries exactly one is
/// registered.
/// </remarks>
public sealed class DynamoDbFileLedger : IFileLedger, IDisposable
{
    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly DynamoDbFileLedgerOptions _options;
    private readonly DynamoDbCaller _caller;

    /// <param name="ownsClient">Whether disposing the ledger disposes <paramref name="client"/>.</param>
    public DynamoDbFileLedger(IAmazonDynamoDB client, DynamoDbFileLedgerOptions? options = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _ownsClient = ownsClient;
        _options = options ?? new DynamoDbFileLedgerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConditionalAttempts, 1);
        _caller = new DynamoDbCaller(
            new AwsResource("DynamoDB table", _options.TableName, AwsConnection.Describe(client.Config),
                "deploy the stack or create the table, or set FILES_TABLE to the table's name"),
            _options.Retry);
    }

    private string Table => _options.TableName;

    public async Task<RegistrationResult> RegisterAsync(LedgerFile file, string executionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(executionName);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(file.Bucket, file.Key, file.Version, cancellationToken);
            switch (LedgerRules.DecideRegistration(existing, executionName, now, _options.Lease))
            {
                case RegistrationDecision.AlreadyMine:
                    return RegistrationResult.Registered(existing!);
                case RegistrationDecision.AlreadyProcessed:
                    return RegistrationResult.AlreadyProcessed(existing!);
            }

            var entry = LedgerRules.Registered(file, existing, executionName, now);
            if (await TryPutAsync(entry, existing, attempt, cancellationToken))
            {
                return RegistrationResult.Registered(entry);
            }
        }
    }

    public async Task<bool> CompleteAsync(LedgerFile file, FileCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(completion);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await GetAsync(file.Bucket, file.Key, file.Version, cancellationToken);
            if (!LedgerRules.MayComplete(existing, completion.ExecutionName))
            {
                return false;
            }

            var entry = LedgerRules.Completed(file, existing, completion);
            if (await TryPutAsync(entry, existing, attempt, cancellationToken))
            {
                return true;
            }
        }
    }

    public async Task<LedgerEntry?> GetAsync(string bucket, string key, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(version);
        var response = await _caller.CallAsync(token => _client.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new(StringComparer.Ordinal)
            {
                [A.FileKey] = S(FileKey(bucket, key)),
                [A.Version] = S(version),
            },
            ConsistentRead = true,
        }, token), cancellationToken);
        return response.Item is { Count: > 0 } item ? ReadEntry(item) : null;
    }

    /// <remarks>
    /// A Query of the <c>KeyHistory</c> or <c>History</c> index, newest first. Entries registered at the same instant
    /// come out of an index in no defined order, so the ones tied with the last entry kept are read too and the
    /// page is ordered as the SQLite ledger orders it: RegisteredAt descending, then bucket/key, then version. A
    /// negative <paramref name="limit"/> means no limit (as SQLite's LIMIT). GSIs are eventually consistent.
    /// </remarks>
    public async IAsyncEnumerable<LedgerEntry> ListAsync(string? key = null, int limit = 100, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (limit == 0)
        {
            yield break;
        }

        var entries = new List<LedgerEntry>();
        string? boundary = null;
        Dictionary<string, AttributeValue>? start = null;
        var done = false;
        do
        {
            var request = new QueryRequest
            {
                TableName = Table,
                IndexName = key is null ? DynamoDbSchema.HistoryIndex : DynamoDbSchema.KeyHistoryIndex,
                KeyConditionExpression = "#p = :p",
                ExpressionAttributeNames = new() { ["#p"] = key is null ? A.History : A.Key },
                ExpressionAttributeValues = new() { [":p"] = S(key ?? DynamoDbSchema.HistoryPartition) },
                ScanIndexForward = false,
                ExclusiveStartKey = start,
            };
            if (limit > 0)
            {
                request.Limit = Math.Min(limit + 1, 1000);
            }

            var page = await _caller.CallAsync(token => _client.QueryAsync(request, token), cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                var registeredAt = item[A.RegisteredAt].S;
                if (boundary is not null && !string.Equals(registeredAt, boundary, StringComparison.Ordinal))
                {
                    done = true;
                    break;
                }

                entries.Add(ReadEntry(item));
                if (limit > 0 && entries.Count == limit)
                {
                    boundary = registeredAt;
                }
            }

            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (!done && start is not null);

        entries.Sort(static (a, b) =>
        {
            var order = b.RegisteredAt.UtcTicks.CompareTo(a.RegisteredAt.UtcTicks);
            if (order == 0)
            {
                order = ObjectKey.CompareUtf8(FileKey(a.Bucket, a.Key), FileKey(b.Bucket, b.Key));
            }

            return order != 0 ? order : ObjectKey.CompareUtf8(a.Version, b.Version);
        });
        foreach (var entry in limit > 0 ? entries.Take(limit) : entries)
        {
            yield return entry;
        }
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private static string FileKey(string bucket, string key) => bucket + "/" + key;

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Writes the entry if the stored one is still <paramref name="expected"/>; false when someone else changed it first.</summary>
    private async Task<bool> TryPutAsync(LedgerEntry entry, LedgerEntry? expected, int attempt, CancellationToken cancellationToken)
    {
        var request = new PutItemRequest { TableName = Table, Item = ToItem(entry) };
        if (expected is null)
        {
            request.ConditionExpression = "attribute_not_exists(#k)";
            request.ExpressionAttributeNames = new() { ["#k"] = A.FileKey };
        }
        else
        {
            request.ConditionExpression = "#s = :s AND #e = :e AND #r = :r AND #a = :a";
            request.ExpressionAttributeNames = new()
            {
                ["#s"] = A.Status,
                ["#e"] = A.ExecutionName,
                ["#r"] = A.RegisteredAt,
                ["#a"] = A.Attempts,
            };
            request.ExpressionAttributeValues = new()
            {
                [":s"] = S(expected.Status.ToWire()),
                [":e"] = S(expected.ExecutionName),
                [":r"] = S(TimeFormat.ToStorage(expected.RegisteredAt)),
                [":a"] = N(expected.Attempts),
            };
        }

        try
        {
            await _caller.CallAsync(token => _client.PutItemAsync(request, token), cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException) when (attempt < _options.MaxConditionalAttempts)
        {
            return false;
        }
        catch (ConditionalCheckFailedException)
        {
            throw new StorageContentionException(_caller.Resource.ToString(),
                $"Ledger entry '{FileKey(entry.Bucket, entry.Key)}' version '{entry.Version}' in {_caller.Resource} changed under {attempt} conditional writes in a row; retry.");
        }
    }

    private static Dictionary<string, AttributeValue> ToItem(LedgerEntry entry)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [A.FileKey] = S(FileKey(entry.Bucket, entry.Key)),
            [A.Version] = S(entry.Version),
            [A.Bucket] = S(entry.Bucket),
            [A.Key] = S(entry.Key),
            [A.Size] = N(entry.Size),
            [A.SourceTime] = S(TimeFormat.ToStorage(entry.SourceTime)),
            [A.Status] = S(entry.Status.ToWire()),
            [A.ExecutionName] = S(entry.ExecutionName),
            [A.RegisteredAt] = S(TimeFormat.ToStorage(entry.RegisteredAt)),
            [A.Attempts] = N(entry.Attempts),
            [A.History] = S(DynamoDbSchema.HistoryPartition),
        };
        if (entry.ETag is not null)
        {
            item[A.ETag] = S(entry.ETag);
        }

        if (entry.CompletedAt is { } completedAt)
        {
            item[A.CompletedAt] = S(TimeFormat.ToStorage(completedAt));
        }

        if (entry.Counts is { } counts)
        {
            item[A.Counts] = CountsMap(counts);
        }

        if (entry.ReportKey is not null)
        {
            item[A.ReportKey] = S(entry.ReportKey);
        }

        if (entry.Error is { } error)
        {
            var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { ["Error"] = S(error.Error) };
            if (error.Cause is not null)
            {
                map["Cause"] = S(error.Cause);
            }

            item[A.Error] = new AttributeValue { M = map };
        }

        return item;
    }

    // The counts' field names are DomainJson's: the map holds the same fields as numbers.
    private static AttributeValue CountsMap(RunCounts counts)
    {
        using var document = JsonDocument.Parse(DomainJson.Serialize(counts));
        return new AttributeValue
        {
            M = document.RootElement.EnumerateObject()
                .ToDictionary(field => field.Name, field => new AttributeValue { N = field.Value.GetRawText() }, StringComparer.Ordinal),
        };
    }

    private static RunCounts ReadCounts(Dictionary<string, AttributeValue> map)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in map)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(value.N);
            }

            writer.WriteEndObject();
        }

        return DomainJson.ReadRunCounts(buffer.WrittenSpan);
    }

    private static LedgerEntry ReadEntry(Dictionary<string, AttributeValue> item)
    {
        static long Long(Dictionary<string, AttributeValue> map, string name) =>
            map.TryGetValue(name, out var value) ? long.Parse(value.N, CultureInfo.InvariantCulture) : 0;

        RunCounts? counts = null;
        if (item.TryGetValue(A.Counts, out var c) && c.M is { } m)
        {
            counts = ReadCounts(m);
        }

        ErrorInfo? error = null;
        if (item.TryGetValue(A.Error, out var e) && e.M is { } em)
        {
            error = new ErrorInfo(em["Error"].S, em.TryGetValue("Cause", out var cause) ? cause.S : null);
        }

        return new LedgerEntry(
            item[A.Bucket].S,
            item[A.Key].S,
            item[A.Version].S,
            item.TryGetValue(A.ETag, out var etag) ? etag.S : null,
            Long(item, A.Size),
            TimeFormat.FromStorage(item[A.SourceTime].S),
            FileStatusNames.Parse(item[A.Status].S),
            item[A.ExecutionName].S,
            TimeFormat.FromStorage(item[A.RegisteredAt].S),
            (int)Long(item, A.Attempts),
            item.TryGetValue(A.CompletedAt, out var completed) ? TimeFormat.FromStorage(completed.S) : null,
            counts,
            item.TryGetValue(A.ReportKey, out var report) ? report.S : null,
            error);
    }
}
