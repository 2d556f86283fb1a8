using System.Buffers;
using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Storage;
using Ingestion.Domain.Students;

namespace Ingestion.Functions.Reports;

/// <summary>Writes a file version's report and, first, the rejections spreadsheet beside it.</summary>
/// <remarks>
/// Each is composed in a temporary file, then stored: the records of a large run never sit in memory, and the S3
/// adapter uploads a seekable file with its length. Entries of the <c>rejected</c> and <c>failed</c> lists are one JSON
/// object a line, the rest indented: a person reading the report scrolls a record a line.
/// </remarks>
internal static class RunReport
{
    // Reports are read by people: quotes and apostrophes stay as they are instead of \u0022 and \u0027.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = FunctionOutput.WriterOptions.Encoder };

    /// <summary>How much the writer holds before handing it to the file.</summary>
    private const int FlushBytes = 64 * 1024;

    /// <param name="failed">The failed records, or null when none could be (a quarantined file).</param>
    public static async Task WriteAsync(
        IObjectStore objects,
        string reportKey,
        IngestFile file,
        FileStatus status,
        string executionName,
        DateTimeOffset completedAt,
        RunCounts counts,
        RejectionAnalysis analysis,
        IndexedSpool? failed,
        ErrorInfo? error,
        CancellationToken cancellationToken)
    {
        // The CSV first: a report that names it can be trusted to have it beside it.
        var rejectionsKey = ReportKeys.Rejections(reportKey);
        await using (var csv = SpoolFile.CreateStream())
        {
            analysis.Csv.WriteTo(csv, analysis.Columns);
            csv.Position = 0;
            await objects.PutAsync(file.Bucket, rejectionsKey, csv, cancellationToken);
        }

        await using var report = SpoolFile.CreateStream();
        using (var writer = new Utf8JsonWriter(report, Options))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("file");
            JsonSerializer.Serialize(writer, file, FunctionsJsonContext.Default.IngestFile);
            writer.WriteString("status", status.ToWire());
            writer.WriteString("executionName", executionName);
            writer.WriteString("completedAt", TimeFormat.ToWire(completedAt));
            writer.WritePropertyName("counts");
            DomainJson.Write(writer, counts);
            if (analysis.Callout is { } callout)
            {
                writer.WriteStartObject("callout");
                writer.WriteString("cause", callout.Cause);
                writer.WriteString("message", callout.Message);
                writer.WriteEndObject();
            }

            // The summary by reason, commonest first, before the records it adds up.
            writer.WriteStartArray("summary");
            foreach (var reason in analysis.Summary)
            {
                writer.WriteStartObject();
                writer.WriteString("code", reason.Code);
                writer.WriteString("field", reason.Field);
                writer.WriteNumber("count", reason.Count);
                writer.WriteNumber("exampleRow", reason.ExampleRow);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("rejections", rejectionsKey);
            var line = new ArrayBufferWriter<byte>(1024);
            writer.WriteStartArray("rejected");
            foreach (var entry in analysis.Entries.Read())
            {
                WriteEntry(writer, line, entry);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("failed");
            foreach (var (_, entry) in failed?.ReadInIndexOrder() ?? [])
            {
                WriteEntry(writer, line, entry);
            }

            writer.WriteEndArray();
            if (error is not null)
            {
                writer.WritePropertyName("error");
                DomainJson.Write(writer, error);
            }

            writer.WriteEndObject();
        }

        report.Position = 0;
        await objects.PutAsync(file.Bucket, reportKey, report, cancellationToken);
    }

    /// <summary>
    /// An entry as it was written (compact JSON, by this function or a batch's) on a line of its own: the writer copies a
    /// raw value as given, so the line break and indentation of an element of a top-level list go in front of it
    /// (whitespace before a JSON value is still that value). Handed to the file every 64 KiB.
    /// </summary>
    private static void WriteEntry(Utf8JsonWriter writer, ArrayBufferWriter<byte> line, ReadOnlyMemory<byte> entry)
    {
        line.ResetWrittenCount();
        line.Write("\n    "u8);
        line.Write(entry.Span);
        writer.WriteRawValue(line.WrittenSpan, skipInputValidation: true);
        if (writer.BytesPending >= FlushBytes)
        {
            writer.Flush();
        }
    }
}
