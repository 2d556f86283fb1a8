using System.Text.Json;
using Ingestion.Domain.Storage;

namespace Ingestion.Local;

/// <summary>Reading the reports back: every version of a file has its own report and rejections CSV (see handlers/README.md).</summary>
public sealed partial class LocalPipeline
{
    /// <summary>The ledger entries of a file (by name or <c>incoming/</c> key), one per version, newest registration first.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ReportVersionsAsync(string nameOrKey, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrKey);
        var name = nameOrKey[(nameOrKey.LastIndexOf('/') + 1)..];
        return await Ledger.ListAsync(IncomingPrefix + name, limit, cancellationToken).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The newest report of a file, by file name (<c>students.json</c>), key (<c>incoming/students.json</c>) or report
    /// key (<c>reports/…</c>); null when there is none.
    /// </summary>
    /// <exception cref="DamagedFileException">The report is not JSON.</exception>
    public async Task<JsonDocument?> ReadReportAsync(string nameOrKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrKey);
        var candidates = new List<string>();
        if (nameOrKey.StartsWith("reports/", StringComparison.Ordinal))
        {
            candidates.Add(nameOrKey);
        }
        else
        {
            candidates.AddRange((await ReportVersionsAsync(nameOrKey, cancellationToken: cancellationToken)).Select(e => e.ReportKey).OfType<string>());

            // Where reports were kept before there was one per version (a data folder from an older ingest).
            candidates.Add("reports/" + nameOrKey[(nameOrKey.LastIndexOf('/') + 1)..] + ".report.json");
        }

        foreach (var key in candidates.Distinct(StringComparer.Ordinal))
        {
            if (await OpenReportFileAsync(key, cancellationToken) is { } content)
            {
                await using (content)
                {
                    try
                    {
                        return await JsonDocument.ParseAsync(content, default, cancellationToken);
                    }
                    catch (JsonException e)
                    {
                        throw new DamagedFileException(Locate(key), $"not JSON: {Ingestion.States.Json.JsonErrorText.Describe(e)}", e);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Where an object of the bucket is, for a message: its file in the folder bucket, or its S3 URI.</summary>
    public string Locate(string key) => Objects is Ingestion.Storage.Local.Folder.LocalFolderObjectStore folder ? folder.PathOf(BucketName, key)
        : Settings.Objects == "s3" ? $"s3://{BucketName}/{key}"
        : Data.BucketPath(BucketName, key);

    /// <summary>A file of the bucket's <c>reports/</c> (a report, a rejections CSV), or null when there is no such object.</summary>
    public async Task<Stream?> OpenReportFileAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!key.StartsWith("reports/", StringComparison.Ordinal) || !ObjectKey.TryValidate(key, out _) || await Objects.HeadAsync(BucketName, key, cancellationToken) is null)
        {
            return null;
        }

        var content = await Objects.GetAsync(BucketName, key, cancellationToken: cancellationToken);
        return content.Content;
    }
}
