using System.Text.Json;
using Ingestion.Domain;
using Ingestion.Domain.Students;
using Ingestion.Functions.Telemetry;

namespace Ingestion.Functions;

/// <summary>
/// ValidateStudents: splits a Distributed Map batch into normalised valid students and rejected records with
/// reason codes. See handlers/README.md for the shapes.
/// </summary>
/// <remarks>One parse of the batch, records checked as <see cref="JsonElement"/>s, output written with a <see cref="Utf8JsonWriter"/>: no per-record trees.</remarks>
public sealed class ValidateStudentsFunction
{
    private readonly FunctionTelemetry _telemetry;

    /// <summary>For the Lambda runtime: configuration from environment variables.</summary>
    public ValidateStudentsFunction()
        : this(HandlerRuntime.Telemetry)
    {
    }

    public ValidateStudentsFunction(TelemetryOptions telemetry, TimeProvider? clock = null)
    {
        _telemetry = new FunctionTelemetry(telemetry, "ValidateStudents", clock);
    }

    /// <summary>The Lambda entry point.</summary>
    public Task<Stream> HandleAsync(Stream input) => InvokeAsync(input);

    /// <summary>The entry point for in-process callers (the local runtime), with a request id and cancellation.</summary>
    public async Task<Stream> InvokeAsync(Stream input, string? requestId = null, CancellationToken cancellationToken = default)
    {
        using var document = await JsonInput.ParseAsync(input, "ValidateStudents", cancellationToken);
        var root = document.RootElement;
        var file = JsonInput.Required(root, "BatchInput.file");
        var items = JsonInput.Required(root, "Items");
        if (items.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidHandlerInputException("Input 'Items' must be an array.");
        }

        var invocation = _telemetry.Begin(requestId, JsonInput.OptionalString(file, "key"));
        var results = new (long Index, JsonElement Record, ValidationResult Result)[items.GetArrayLength()];
        var position = 0;
        var rejected = 0;
        foreach (var item in items.EnumerateArray())
        {
            var index = JsonInput.TryGetLong(item, "index", out var given) ? given.Value : position;
            var record = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("record", out var value) ? value : default;
            var result = record.ValueKind == JsonValueKind.Undefined
                ? new ValidationResult(null, null, [new Reason(ReasonCodes.NotAnObject, null, "The item has no record.")])
                : StudentValidator.Validate(record);
            rejected += result.IsValid ? 0 : 1;
            results[position++] = (index, record, result);
        }

        var output = FunctionOutput.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("file");
            file.WriteTo(writer);
            writer.WriteNumber("received", results.Length);
            writer.WriteStartArray("valid");
            foreach (var (index, record, result) in results)
            {
                if (result.IsValid)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", index);
                    writer.WritePropertyName("student");
                    StudentJson.Write(writer, result.Student!, record);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("rejected");
            foreach (var (index, _, result) in results)
            {
                if (!result.IsValid)
                {
                    RejectedJson.Write(writer, index, result.StudentId, result.Reasons);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

        invocation.Logger.Info("Validated batch", ("received", results.Length), ("valid", results.Length - rejected), ("rejected", rejected));
        return output;
    }
}

/// <summary>The <c>rejected</c> entry of handlers/README.md.</summary>
internal static class RejectedJson
{
    /// <param name="row">Where a spreadsheet of the file shows the record: only the report knows it.</param>
    public static void Write(Utf8JsonWriter writer, long index, string? studentId, IReadOnlyList<Reason> reasons, long? row = null)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        if (row is { } spreadsheetRow)
        {
            writer.WriteNumber("row", spreadsheetRow);
        }

        writer.WriteString("studentId", studentId);
        writer.WriteStartArray("reasons");
        foreach (var reason in reasons)
        {
            writer.WriteStartObject();
            writer.WriteString("code", reason.Code);
            writer.WriteString("field", reason.Field);
            writer.WriteString("message", reason.Message);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
