namespace Ingestion.Storage.Local.Outbox;

/// <summary>
/// What the local runtime keeps instead of publishing to SNS: every message, in publish order, with its topic,
/// subject, attributes and the message id SNS would have returned.
/// </summary>
public interface IOutbox
{
    /// <summary>Stores the messages of one Publish or PublishBatch call, all or none; returns their message ids in order.</summary>
    Task<IReadOnlyList<string>> PublishAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Messages in publish order (of one topic when given): the first <paramref name="limit"/>, or with <paramref name="latest"/> the last.</summary>
    IAsyncEnumerable<OutboxEntry> ListAsync(string? topic = null, int? limit = null, bool latest = false, CancellationToken cancellationToken = default);

    Task<long> CountAsync(string? topic = null, CancellationToken cancellationToken = default);
}

/// <summary>A message to publish.</summary>
/// <param name="Topic">The topic ARN.</param>
/// <param name="AttributesJson">SNS MessageAttributes as JSON (<c>{"Name": {"DataType": …, "StringValue": …}}</c>), or null.</param>
public sealed record OutboxMessage(string Topic, string? Subject, string Message, string? AttributesJson);

/// <summary>A published message.</summary>
/// <param name="Sequence">Publish order, from 1.</param>
public sealed record OutboxEntry(long Sequence, string MessageId, string Topic, string? Subject, string Message, string? AttributesJson, DateTimeOffset PublishedAt);
