using Ingestion.States.Errors;
using Ingestion.States.Integrations;
using Ingestion.States.Json;
using Ingestion.Storage.Local.Outbox;

namespace Ingestion.Local.Integrations;

/// <summary>
/// SNS for the definitions: the optimised <c>arn:aws:states:::sns:publish</c> and the AWS SDK integration's
/// <c>publish</c> and <c>publishBatch</c>, stored in the outbox and answered with SNS's response shapes.
/// </summary>
/// <remarks>
/// Requests are checked as SNS checks them (a known topic, a Message, 1–10 batch entries with distinct ids), and
/// errors are named as Step Functions names them (<c>SNS.*</c> for the optimised integration, <c>Sns.*</c> for the
/// SDK one), so a definition's Retry and Catch behave locally as on AWS.
/// </remarks>
public static class SnsIntegration
{
    public const string PublishResource = "arn:aws:states:::sns:publish";
    public const string SdkPrefix = "arn:aws:states:::aws-sdk:sns:";

    /// <summary>SNS's limit on a PublishBatch call: entries and total bytes.</summary>
    public const int MaxBatchEntries = 10;
    public const int MaxPayloadBytes = 262_144;

    /// <summary>Registers SNS's resources; <paramref name="wrap"/>, when given, returns what runs instead of each handler.</summary>
    public static void Register(TaskRegistry tasks, IOutbox outbox, IReadOnlySet<string> topics, Func<string, TaskHandler, TaskHandler>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        void Add(string resource, TaskHandler handler) => tasks.Register(resource, wrap?.Invoke(resource, handler) ?? handler);

        Add(PublishResource, async (request, ct) =>
        {
            var messageId = await PublishOneAsync(outbox, topics, Parameters(request, "SNS"), "SNS", ct);
            var requestId = Guid.NewGuid().ToString();
            return new JObject(
            [
                new("MessageId", new JString(messageId)),
                new("SdkHttpMetadata", new JObject(
                [
                    new("HttpHeaders", new JObject(
                    [
                        new("Content-Type", new JString("text/xml")),
                        new("x-amzn-RequestId", new JString(requestId)),
                    ])),
                    new("HttpStatusCode", JNumber.Of(200)),
                ])),
                new("SdkResponseMetadata", new JObject([new("RequestId", new JString(requestId))])),
            ]);
        });
        Add(SdkPrefix, async (request, ct) =>
        {
            var action = request.Resource[SdkPrefix.Length..];
            var parameters = Parameters(request, "Sns");
            return action switch
            {
                "publish" => new JObject([new("MessageId", new JString(await PublishOneAsync(outbox, topics, parameters, "Sns", ct)))]),
                "publishBatch" => await PublishBatchAsync(outbox, topics, parameters, ct),
                _ => throw StatesException.Runtime($"The local runtime supports sns publish and publishBatch, not '{action}' ({request.Resource})."),
            };
        });
    }

    private static JObject Parameters(TaskRequest request, string service) =>
        request.Parameters as JObject ?? throw new StatesException($"{service}.InvalidParameterException", "The parameters must be an object.");

    private static async Task<string> PublishOneAsync(IOutbox outbox, IReadOnlySet<string> topics, JObject parameters, string service, CancellationToken ct)
    {
        var topic = Topic(parameters, topics, service);
        var message = SnsBatchEntry.MessageText(parameters)
            ?? throw new StatesException($"{service}.InvalidParameterException", "Invalid parameter: Empty message");
        var ids = await outbox.PublishAsync([new OutboxMessage(topic, OptionalString(parameters, "Subject"), message, SnsBatchEntry.AttributesText(parameters))], ct);
        return ids[0];
    }

    private static async Task<JObject> PublishBatchAsync(IOutbox outbox, IReadOnlySet<string> topics, JObject parameters, CancellationToken ct)
    {
        var topic = Topic(parameters, topics, "Sns");
        if (parameters.Get("PublishBatchRequestEntries") is not JArray { Count: > 0 } entries)
        {
            throw new StatesException("Sns.EmptyBatchRequestException", "The batch request doesn't contain any entries.");
        }

        if (entries.Count > MaxBatchEntries)
        {
            throw new StatesException("Sns.TooManyEntriesInBatchRequestException", $"The batch request contains more entries than permissible ({entries.Count} > {MaxBatchEntries}).");
        }

        var bytes = 0L;
        foreach (var entry in entries)
        {
            bytes += entry.Utf8Length;
        }

        if (bytes > MaxPayloadBytes)
        {
            throw new StatesException("Sns.BatchRequestTooLongException", $"The length of all the messages put together is more than the limit of {MaxPayloadBytes} bytes.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new List<(string Id, OutboxMessage Message)>(entries.Count);
        var failed = new List<JValue>();
        foreach (var value in entries)
        {
            var entry = SnsBatchEntry.Read(value);
            if (entry.Id is not { Length: > 0 and <= 80 } id || !IsBatchEntryId(id))
            {
                throw new StatesException("Sns.InvalidBatchEntryIdException", "A batch entry id can only contain alphanumeric characters, hyphens and underscores, and is 1 to 80 characters long.");
            }

            if (!ids.Add(id))
            {
                throw new StatesException("Sns.BatchEntryIdsNotDistinctException", $"Two or more batch entries in the request have the same Id ({id}).");
            }

            if (entry.Message is { } message)
            {
                accepted.Add((id, new OutboxMessage(topic, entry.Subject, message, entry.AttributesJson)));
            }
            else
            {
                failed.Add(new JObject(
                [
                    new("Code", new JString("InvalidParameter")),
                    new("Id", new JString(id)),
                    new("Message", new JString("Invalid parameter: Empty message")),
                    new("SenderFault", JValue.True),
                ]));
            }
        }

        var messages = new OutboxMessage[accepted.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = accepted[i].Message;
        }

        var messageIds = await outbox.PublishAsync(messages, ct);
        var successful = new JValue[accepted.Count];
        for (var i = 0; i < successful.Length; i++)
        {
            successful[i] = new JObject([new("Id", new JString(accepted[i].Id)), new("MessageId", new JString(messageIds[i]))]);
        }

        return new JObject([new("Failed", new JArray([.. failed])), new("Successful", new JArray(successful))]);
    }

    private static bool IsBatchEntryId(string id)
    {
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Topic(JObject parameters, IReadOnlySet<string> topics, string service)
    {
        var topic = OptionalString(parameters, "TopicArn") ?? OptionalString(parameters, "TargetArn")
            ?? throw new StatesException($"{service}.InvalidParameterException", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        return topics.Contains(topic) ? topic : throw new StatesException($"{service}.NotFoundException", $"Topic does not exist: {topic}");
    }

    private static string? OptionalString(JObject parameters, string name) => parameters.Get(name) is JString text ? text.Value : null;
}
