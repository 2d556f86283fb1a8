namespace Ingestion.Cli.Tests.Commands;

/// <summary>Stops a watch once it has printed its first result line: the test waits on the output, not on a clock.</summary>
internal sealed class NotifyingWriter(StringWriter inner, CancellationTokenSource stop) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void WriteLine(string? value)
    {
        inner.WriteLine(value);
        stop.Cancel();
    }
}
