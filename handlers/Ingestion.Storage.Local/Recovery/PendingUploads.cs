using System.Text.Json;

namespace Ingestion.Storage.Local.Recovery;

/// <summary>An upload a local process began and had not yet handed to an IngestFile execution.</summary>
public sealed record LocalUpload(string Id, string Bucket, string Key, LocalProcess Owner);

/// <summary>
/// Uploads of <c>ingest run</c> between the start of their put and the moment their IngestFile execution records
/// itself in <see cref="LocalRunRegistry"/>: a kill in that gap would leave the object with no run. One small file per
/// upload in a folder of the data folder, named after the process (<see cref="LocalProcess.Tag"/>), so the next
/// ingest can tell which ones a killed process left and deliver their events.
/// </summary>
/// <remarks>
/// Files rather than rows of <c>ingest.db</c>: the record is written before the put, on the caller's thread, and must
/// not wait for a database another process holds locked (that wait is shown on the run's progress line, which starts
/// after the upload).
/// </remarks>
public sealed class PendingUploads(string folder)
{
    private const string Extension = ".upload";

    /// <summary>Records that this process is about to put an object under <paramref name="key"/> and deliver its event.</summary>
    /// <returns>The upload's id, for <see cref="End"/>.</returns>
    public string Begin(string bucket, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        ArgumentException.ThrowIfNullOrEmpty(key);
        Directory.CreateDirectory(folder);
        var id = $"{LocalProcess.Current.Tag}.{Guid.NewGuid():N}";
        using (var file = File.Create(Path.Combine(folder, id + Extension)))
        using (var writer = new Utf8JsonWriter(file))
        {
            writer.WriteStartObject();
            writer.WriteString("bucket", bucket);
            writer.WriteString("key", key);
            writer.WriteEndObject();
        }

        return id;
    }

    /// <summary>The upload's execution has recorded itself, or the put failed: forget the upload.</summary>
    public void End(string id) => File.Delete(Path.Combine(folder, id + Extension));

    /// <summary>Uploads whose process ended before their execution recorded itself.</summary>
    public IReadOnlyList<LocalUpload> Orphans()
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var orphans = new List<LocalUpload>();
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (LocalProcess.OfTag(id.Split('.')[0]) is not { IsRunning: false } owner)
            {
                continue;
            }

            if (Read(path) is { } target)
            {
                orphans.Add(new LocalUpload(id, target.Bucket, target.Key, owner));
            }
            else
            {
                File.Delete(path); // Cut short while being written: the put it announced never began.
            }
        }

        return orphans;
    }

    /// <summary>Takes an orphan over: true for exactly one caller, however many processes recover at once.</summary>
    public bool TryTake(LocalUpload orphan)
    {
        ArgumentNullException.ThrowIfNull(orphan);
        var path = Path.Combine(folder, orphan.Id + Extension);
        var taken = $"{path}.{LocalProcess.Current.Tag}";
        try
        {
            File.Move(path, taken); // A rename succeeds for one process only.
        }
        catch (FileNotFoundException)
        {
            return false;
        }

        File.Delete(taken);
        return true;
    }

    private static (string Bucket, string Key)? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("bucket", out var bucket) && bucket.ValueKind == JsonValueKind.String
                && root.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
                ? (bucket.GetString()!, key.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
