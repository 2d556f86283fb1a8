using Ingestion.Domain.Storage;
using Ingestion.States.Errors;
using Ingestion.States.Integrations;
using Ingestion.States.Json;

namespace Ingestion.Local.Integrations;

/// <summary>
/// The AWS SDK integration's <c>arn:aws:states:::aws-sdk:s3:getObject</c> over the local bucket: IngestFile reads a map
/// run's <c>manifest.json</c> with it to find the failed batches. The object's text comes back as <c>Body</c>, as on
/// AWS; a missing object is <c>S3.NoSuchKeyException</c>, so a definition's Retry and Catch behave as they would there.
/// </summary>
public static class S3Integration
{
    public const string GetObjectResource = "arn:aws:states:::aws-sdk:s3:getObject";

    public static void Register(TaskRegistry tasks, IObjectStore objects)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(objects);
        tasks.Register(GetObjectResource, async (request, ct) =>
        {
            var parameters = request.Parameters as JObject
                ?? throw new StatesException("S3.InvalidRequestException", "The parameters must be an object.");
            var bucket = Required(parameters, "Bucket");
            var key = Required(parameters, "Key");
            var versionId = (parameters.Get("VersionId") as JString)?.Value;
            try
            {
                await using var content = await objects.GetAsync(bucket, key, versionId, ct);
                using var reader = new StreamReader(content.Content);
                var body = await reader.ReadToEndAsync(ct);
                return new JObject(
                [
                    new("Body", new JString(body)),
                    new("ContentLength", JNumber.Of(content.Info.Size)),
                    new("ETag", new JString(content.Info.ETag)),
                ]);
            }
            catch (ObjectNotFoundException e)
            {
                throw new StatesException("S3.NoSuchKeyException", e.Message);
            }
        });
    }

    private static string Required(JObject parameters, string name) =>
        parameters.Get(name) is JString { Value.Length: > 0 } value
            ? value.Value
            : throw new StatesException("S3.InvalidRequestException", $"{name} is required.");
}
