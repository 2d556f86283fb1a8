using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingestion.Domain;

namespace Ingestion.Functions.Telemetry;

/// <summary>Log levels, named as <c>POWERTOOLS_LOG_LEVEL</c> names them.</summary>
public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>
/// A structured JSON logger whose lines carry the field names of Powertools for AWS Lambda's logger (which is not
/// served here): level, message, timestamp, service, cold_start, function_name, function_request_id,
/// correlation_id, then extra keys. Written to be replaced by Powertools without changing what the lines say.
/// </summary>
/// <remarks>
/// Personal data never reaches a line in clear: a field named like <c>Email</c> or <c>Name</c> is masked whatever its
/// value, and anything that looks like an e-mail address in the message, in string values or in an exception
/// message is masked.
/// </remarks>
public sealed partial class PowertoolsCompatibleLogger
{
    public const string Masked = "****";
    public const string MaskedEmail = "***@***";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ILineSink _sink;
    private readonly TimeProvider _clock;

    public PowertoolsCompatibleLogger(
        ILineSink sink,
        string service,
        string functionName,
        LogLevel minimumLevel = LogLevel.Info,
        TimeProvider? clock = null,
        bool coldStart = false,
        string? requestId = null,
        string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _clock = clock ?? TimeProvider.System;
        Service = service;
        FunctionName = functionName;
        MinimumLevel = minimumLevel;
        ColdStart = coldStart;
        RequestId = requestId;
        CorrelationId = correlationId;
    }

    public string Service { get; }

    public string FunctionName { get; }

    public LogLevel MinimumLevel { get; }

    public bool ColdStart { get; }

    public string? RequestId { get; }

    public string? CorrelationId { get; }

    public static LogLevel ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "DEBUG" or "TRACE" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warn,
        "ERROR" or "CRITICAL" => LogLevel.Error,
        _ => LogLevel.Info,
    };

    public void Debug(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Debug, message, null, fields);

    public void Info(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Info, message, null, fields);

    public void Warn(string message, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Warn, message, null, fields);

    public void Error(string message, Exception? exception, params ReadOnlySpan<(string Key, object? Value)> fields) => Log(LogLevel.Error, message, exception, fields);

    public void Log(LogLevel level, string message, Exception? exception, params ReadOnlySpan<(string Key, object? Value)> fields)
    {
        if (level < MinimumLevel)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("level", level.ToString().ToUpperInvariant());
            writer.WriteString("message", MaskText(message));
            writer.WriteString("timestamp", TimeFormat.ToWire(_clock.GetUtcNow()));
            writer.WriteString("service", Service);
            writer.WriteBoolean("cold_start", ColdStart);
            writer.WriteString("function_name", FunctionName);
            writer.WriteString("function_request_id", RequestId);
            writer.WriteString("correlation_id", CorrelationId);
            foreach (var (key, value) in fields)
            {
                if (key is "level" or "message" or "timestamp" or "service" or "cold_start" or "function_name" or "function_request_id" or "correlation_id" or "exception")
                {
                    continue; // The standard fields are not overwritten by extras.
                }

                writer.WritePropertyName(key);
                WriteValue(writer, value, IsPersonalField(key));
            }

            if (exception is not null)
            {
                writer.WriteStartObject("exception");
                writer.WriteString("type", exception.GetType().FullName);
                writer.WriteString("message", MaskText(exception.Message));
                writer.WriteString("stack_trace", MaskText(exception.StackTrace ?? string.Empty));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        _sink.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Masks every e-mail-looking substring.</summary>
    public static string MaskText(string text) =>
        string.IsNullOrEmpty(text) || !text.Contains('@', StringComparison.Ordinal) ? text : EmailPattern().Replace(text, MaskedEmail);

    /// <summary>Fields whose value is personal data by their name alone: Email, Name and their variants (e.g. <c>studentName</c>).</summary>
    public static bool IsPersonalField(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.EndsWith("email", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return key.EndsWith("name", StringComparison.OrdinalIgnoreCase) && !NotPersonalNames.Contains(key);
    }

    // Names of things, not of people.
    private static readonly HashSet<string> NotPersonalNames = new(
        ["fileName", "functionName", "function_name", "executionName", "bucketName", "stateName", "topicName", "tableName", "service_name", "serviceName"],
        StringComparer.OrdinalIgnoreCase);

    private static void WriteValue(Utf8JsonWriter writer, object? value, bool personal)
    {
        if (personal && value is not null)
        {
            writer.WriteStringValue(Masked);
            return;
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(MaskText(text));
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(TimeFormat.ToWire(time));
                break;
            case TimeSpan span:
                writer.WriteNumberValue(Math.Round(span.TotalMilliseconds, 3));
                break;
            default:
                writer.WriteStringValue(MaskText(value.ToString() ?? string.Empty));
                break;
        }
    }

    [GeneratedRegex(@"[^\s@<>""'(),;:\[\]]+@[^\s@<>""'(),;:\[\]]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
