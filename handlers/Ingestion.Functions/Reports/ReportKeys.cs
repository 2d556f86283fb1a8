using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ingestion.Domain.Storage;

namespace Ingestion.Functions.Reports;

/// <summary>Where a file version's report and rejections CSV are kept: one pair per object version, never overwritten by a later upload.</summary>
/// <remarks>
/// <c>reports/&lt;file name&gt;/&lt;upload time&gt;-&lt;version&gt;.report.json</c>, the CSV beside it. The upload time
/// (the object's last-modified time, compact UTC) comes first so that a listing of <c>reports/&lt;name&gt;/</c> is in
/// upload order on S3 and in the folder bucket alike, and has no ':' (not a file name character everywhere). The
/// version makes two uploads in the same millisecond two keys; a re-run of the same version writes the same keys.
/// </remarks>
internal static class ReportKeys
{
    public const string ReportSuffix = ".report.json";
    public const string RejectionsSuffix = ".rejections.csv";

    private const int MaxVersionChars = 128;

    /// <summary>The report's key for a version of <paramref name="name"/>; a key S3 would refuse (too long) falls back to the execution's name.</summary>
    public static string Report(string name, DateTimeOffset sourceTime, string version, string executionName)
    {
        var key = $"reports/{name}/{sourceTime.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Safe(version)}{ReportSuffix}";
        return ObjectKey.TryValidate(key, out _) ? key : $"reports/{executionName}{ReportSuffix}";
    }

    /// <summary>The rejections CSV beside a report.</summary>
    public static string Rejections(string reportKey) =>
        (reportKey.EndsWith(ReportSuffix, StringComparison.Ordinal) ? reportKey[..^ReportSuffix.Length] : reportKey) + RejectionsSuffix;

    /// <summary>A version id as a key segment: S3's are URL-safe already; anything else (or anything very long) is hashed.</summary>
    private static string Safe(string version)
    {
        if (version.Length is > 0 and <= MaxVersionChars && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return version;
        }

        return "h" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version)))[..32];
    }
}
