namespace Ingestion.Domain.Tests.Functions;

public sealed class ErrorInfoTests
{
    [Fact]
    public void A_lambda_error_payload_reads_as_its_message()
    {
        var cause = """{"errorType":"FileRejectedException","errorMessage":"UNSUPPORTED_EXTENSION: 'a.txt' is not a .json file.","stackTrace":["at X.Y() in /build/X.cs:line 1"]}""";

        var readable = ErrorInfo.Readable("FileRejectedException", cause);

        Assert.Equal(new ErrorInfo("FileRejectedException", "UNSUPPORTED_EXTENSION: 'a.txt' is not a .json file."), readable);
    }

    [Theory]
    [InlineData("Failed to read items at line 27, byte 10: Expected a value.")]
    [InlineData("{not json")]
    [InlineData("""{"message":"an object, but not a Lambda error payload"}""")]
    [InlineData(null)]
    public void Any_other_cause_is_kept_as_it_came(string? cause)
    {
        Assert.Equal(new ErrorInfo("States.ItemReaderFailed", cause), ErrorInfo.Readable("States.ItemReaderFailed", cause));
    }
}
