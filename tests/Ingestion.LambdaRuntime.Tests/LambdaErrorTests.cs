using System.Text;
using System.Text.Json;
using Ingestion.LambdaRuntime.Internal;

namespace Ingestion.LambdaRuntime.Tests;

public sealed class LambdaErrorTests
{
    [Fact]
    public void ToUtf8Json_keeps_generated_names_and_quotes_readable()
    {
        var error = new LambdaError("InvalidDataException", "Field 'Email' has \"two\" @", ["at Program.<Main>b__0_4(Stream) + 0x30"]);

        var json = Encoding.UTF8.GetString(error.ToUtf8Json());

        Assert.Equal(
            """{"errorType":"InvalidDataException","errorMessage":"Field 'Email' has \"two\" @","stackTrace":["at Program.<Main>b__0_4(Stream) + 0x30"]}""",
            json);
    }

    [Fact]
    public void FromException_cause_stops_at_four_levels()
    {
        Exception exception = new InvalidOperationException("level 0");
        for (var level = 1; level <= 6; level++)
        {
            exception = new InvalidOperationException($"level {level}", exception);
        }

        using var payload = JsonDocument.Parse(LambdaError.FromException(exception).ToUtf8Json());

        var depth = 0;
        for (var node = payload.RootElement; node.TryGetProperty("cause", out var cause); node = cause)
        {
            depth++;
        }

        Assert.Equal(4, depth);
    }

    [Theory]
    [InlineData("IngestionException", "IngestionException")]
    [InlineData("States.TaskFailed", "States.TaskFailed")]
    [InlineData("Bad Name", "Unhandled")]
    [InlineData("Fehlerä", "Unhandled")]
    [InlineData("", "Unhandled")]
    public void HeaderValue_is_the_error_type_when_header_safe(string errorType, string header)
    {
        Assert.Equal(header, new LambdaError(errorType, "message", []).HeaderValue);
    }
}
