using System.Globalization;
using System.Text;

namespace Ingestion.Functions.Reports;

/// <summary>The plain-text parts of the AdminAlerts e-mail about rejections: the callout, the summary by reason, where the files are.</summary>
/// <remarks>E-mail subscribers read this as it is: plain lines, no JSON, every figure in words they can act on.</remarks>
internal static class AdminMessage
{
    /// <summary>The summary lists at most this many reasons; the CSV has every record.</summary>
    private const int MaxReasonLines = 10;

    public static void AppendCallout(StringBuilder message, FileCallout? callout)
    {
        if (callout is not null)
        {
            message.Append("CHECK THIS FILE: ").Append(callout.Message).Append('\n');
        }
    }

    public static void AppendSummary(StringBuilder message, long rejected, IReadOnlyList<ReasonCount> summary)
    {
        if (summary.Count == 0)
        {
            return;
        }

        AppendReasons(message, $"Rejected records by reason ({rejected} records; one can have several reasons):",
            [.. summary.Select(r => (r.Label, r.Count, $"row {r.ExampleRow}"))], "the report");
    }

    /// <summary>
    /// A summary by reason under <paramref name="heading"/>: a line per reason (the commonest <see cref="MaxReasonLines"/>)
    /// with its count and an example, then the three commonest on one line. The per-file e-mail and the nightly digest
    /// share it; only the example (a row, or a file and row) and where the rest are differ.
    /// </summary>
    public static void AppendReasons(StringBuilder message, string heading, IReadOnlyList<(string Label, long Count, string Example)> reasons, string restIn)
    {
        message.Append(heading).Append('\n');
        foreach (var (label, count, example) in reasons.Take(MaxReasonLines))
        {
            message.Append(CultureInfo.InvariantCulture, $"  {label}: {count}, e.g. {example}\n");
        }

        if (reasons.Count > MaxReasonLines)
        {
            message.Append(CultureInfo.InvariantCulture, $"  and {reasons.Count - MaxReasonLines} more reasons (see {restIn}).\n");
        }

        message.Append("Commonest: ")
            .AppendJoin("; ", reasons.Take(ReasonSummary.Commonest).Select(r => $"{r.Label} ({r.Count}, e.g. {r.Example})"))
            .Append('\n');
    }

    /// <summary>A line naming an object by its S3 URI, and its AWS console page on the next when the region is known.</summary>
    public static void AppendLocation(StringBuilder message, string label, string bucket, string key, string? region)
    {
        message.Append(CultureInfo.InvariantCulture, $"{label}: s3://{bucket}/{key}\n");
        if (ConsoleLink(bucket, key, region) is { } link)
        {
            message.Append("  ").Append(link).Append('\n');
        }
    }

    /// <summary>The object's page in the S3 console (the console's own link format: bucket in the path, key as the prefix), or with <paramref name="folder"/> the listing of a prefix.</summary>
    public static string? ConsoleLink(string bucket, string key, string? region, bool folder = false) =>
        string.IsNullOrEmpty(region)
            ? null
            : $"https://s3.console.aws.amazon.com/s3/{(folder ? "buckets" : "object")}/{Uri.EscapeDataString(bucket)}?region={Uri.EscapeDataString(region)}&prefix={Uri.EscapeDataString(key)}";
}
