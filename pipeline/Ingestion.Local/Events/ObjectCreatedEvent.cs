using System.Globalization;
using Ingestion.Domain.Storage;
using Ingestion.States.Json;

namespace Ingestion.Local.Events;

/// <summary>
/// The EventBridge event S3 sends for a new object (detail-type <c>Object Created</c>, source <c>aws.s3</c>), in the
/// shape Amazon S3's documentation gives, built from the object store's answer for the new version.
/// </summary>
public static class ObjectCreatedEvent
{
    public static JObject Create(ObjectInfo info, DateTimeOffset time, string region, string accountId, string reason = "PutObject")
    {
        ArgumentNullException.ThrowIfNull(info);
        var fields = new List<KeyValuePair<string, JValue>>
        {
            new("key", new JString(info.Key)),
            new("size", JNumber.Of(info.Size)),
            new("etag", new JString(info.ETag.Trim('"'))),
        };
        if (info.VersionId is not null)
        {
            fields.Add(new("version-id", new JString(info.VersionId)));
        }

        // S3's sequencer orders events of one key: hexadecimal, growing with each change.
        fields.Add(new("sequencer", new JString(info.LastModified.UtcTicks.ToString("X16", CultureInfo.InvariantCulture) + "00")));
        return new JObject(
        [
            new("version", new JString("0")),
            new("id", new JString(Guid.NewGuid().ToString())),
            new("detail-type", new JString("Object Created")),
            new("source", new JString("aws.s3")),
            new("account", new JString(accountId)),
            new("time", new JString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            new("region", new JString(region)),
            new("resources", new JArray([new JString("arn:aws:s3:::" + info.Bucket)])),
            new("detail", new JObject(
            [
                new("version", new JString("0")),
                new("bucket", new JObject([new("name", new JString(info.Bucket))])),
                new("object", new JObject([.. fields])),
                new("request-id", new JString(RequestId())),
                new("requester", new JString(accountId)),
                new("source-ip-address", new JString("127.0.0.1")),
                new("reason", new JString(reason)),
            ])),
        ]);
    }

    // S3 request ids: 16 upper-case letters and digits.
    private static string RequestId() => Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];
}
