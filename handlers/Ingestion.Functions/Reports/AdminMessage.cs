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

        message.Append(CultureInfo.InvariantCulture, $"Rejected records by reason ({rejected} records; one can have several reasons):\n");
        foreach (var reason in summary.Take(MaxReasonLines))
        {
            message.Append(CultureInfo.InvariantCulture, $"  {reason.Label}: {reason.Count}, e.g. row {reason.ExampleRow}\n");
        }

        if (summary.Count > MaxReasonLines)
        {
            message.Append(CultureInfo.InvariantCulture, $"  and {summary.Count - MaxReasonLines} more reasons (see the report).\n");
        }

        message.Append("Commonest: ")
            .AppendJoin("; ", summary.Take(ReasonSummary.Commonest).Select(r => $"{r.Label} ({r.Count}, e.g. row {r.ExampleRow})"))
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
