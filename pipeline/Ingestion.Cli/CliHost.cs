using System.Globalization;
using Ingestion.Cli.Output;
using Ingestion.Local;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ingestion.Cli;

/// <summary>
/// What the commands run against: the output and error writers (and whether each is a terminal), the environment,
/// the second-Ctrl+C token, and a hook to adjust the pipeline (tests inject a clock or faults through it).
/// </summary>
internal sealed class CliHost
{
    /// <summary>Wider than any table's natural width: Spectre wraps at the console's width, and a pipe has none.</summary>
    private const int RedirectedWidth = 1 << 14;

    private const int WideTerminal = 120;

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public bool OutIsTerminal { get; init; }

    public bool ErrorIsTerminal { get; init; }

    /// <summary>The terminal's width in columns; null to ask the terminal (tests give one).</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>
    /// A terminal too narrow for every column of the wider tables (the common 80 columns): they then keep the columns
    /// that identify a row, whole, instead of wrapping every cell mid-word. Pipes have no width and get every column.
    /// </summary>
    public bool OutIsNarrow => OutIsTerminal && OutWidth < WideTerminal;

    /// <summary>How many columns standard output has: the terminal's, or for a pipe as many as a table wants.</summary>
    public int OutWidth => OutConsole().Profile.Width;

    /// <summary>Environment variables (INGEST_DATA_DIR and the handlers' settings).</summary>
    public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>Cancelled by a second Ctrl+C: stop the execution in flight now instead of letting it finish.</summary>
    public CancellationToken Abort { get; init; }

    public Func<LocalPipelineOptions, LocalPipelineOptions>? Configure { get; init; }

    /// <summary>The process's console.</summary>
    public static CliHost FromConsole(CancellationToken abort) => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        Abort = abort,
    };

    /// <summary>A Spectre console on standard output: colours and live rendering only on a terminal.</summary>
    public IAnsiConsole OutConsole() => Create(Out, OutIsTerminal, TerminalWidth);

    /// <summary>A Spectre console on standard error, where progress goes (so <c>--json</c> output stays clean).</summary>
    public IAnsiConsole ErrorConsole() => Create(Error, ErrorIsTerminal, TerminalWidth);

    /// <summary>
    /// Writes a table or grid to standard output: drawn for a terminal; for a pipe or a file, as plain text lines with
    /// no trailing blanks (what a log or a diff wants).
    /// </summary>
    public void Render(IRenderable renderable)
    {
        if (OutIsTerminal)
        {
            OutConsole().Write(renderable);
            return;
        }

        using var text = new StringWriter();
        Create(text, terminal: false, width: null).Write(renderable);
        var lines = text.ToString().Split('\n').Select(line => line.TrimEnd()).ToList();
        var first = lines.FindIndex(line => line.Length > 0);
        var last = lines.FindLastIndex(line => line.Length > 0);
        for (var i = first; first >= 0 && i <= last; i++)
        {
            Out.WriteLine(lines[i]);
        }
    }

    /// <summary>
    /// A line of Spectre markup to standard output, each interpolated value made visible (<see cref="TerminalText"/>)
    /// and escaped; when not a terminal, plain text as one line, never wrapped (a path or a command to paste must stay
    /// whole in a log or a pipe).
    /// </summary>
    public void MarkupLine(FormattableString markup)
    {
        ArgumentNullException.ThrowIfNull(markup);
        var escaped = TerminalText.Arguments(markup).Select(argument => (object)new EscapedArgument(argument)).ToArray();
        var text = string.Format(CultureInfo.InvariantCulture, markup.Format, escaped);
        if (OutIsTerminal)
        {
            OutConsole().MarkupLine(text);
            return;
        }

        Out.WriteLine(Markup.Remove(text));
    }

    /// <summary>A plain line to standard output, each interpolated value made visible (<see cref="TerminalText"/>).</summary>
    public void OutLine(FormattableString line) => Out.WriteLine(TerminalText.Line(line));

    /// <summary>A plain line to standard error, each interpolated value made visible (<see cref="TerminalText"/>).</summary>
    public void ErrorLine(FormattableString line) => Error.WriteLine(TerminalText.Line(line));

    private static IAnsiConsole Create(TextWriter writer, bool terminal, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (terminal && width is { } columns)
        {
            console.Profile.Width = columns;
        }

        if (!terminal)
        {
            // Redirected output has no width: a table is as wide as its cells, wrapped nowhere (Spectre would take 80).
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>An interpolated value formatted as asked, then escaped, as Spectre's <c>MarkupLineInterpolated</c> does.</summary>
    private sealed class EscapedArgument(object? value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) =>
            Markup.Escape(value is IFormattable formattable ? formattable.ToString(format, formatProvider) : value?.ToString() ?? string.Empty);

        public override string ToString() => ToString(null, CultureInfo.InvariantCulture);
    }
}
