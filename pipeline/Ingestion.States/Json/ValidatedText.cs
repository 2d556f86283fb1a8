namespace Ingestion.States.Json;

/// <summary>
/// Compact JSON text that <see cref="JParser.ParseLazy"/> validated, with where each of its objects and arrays
/// starts and ends. The lazy values over it build a level by jumping over the objects and arrays nested in it, so
/// the text is read token by token once, by the parse, however deep the values asked for later.
/// </summary>
/// <remarks>
/// A Lambda's output of a quarter of a megabyte was otherwise read three times more: the payload object's level
/// skipped over its arrays token by token, an array's level over its items, and so on down.
/// </remarks>
internal sealed class ValidatedText
{
    // Three ints per container, numbered in the order they open: its start, its end (exclusive) and the number of
    // the next container that is not inside it.
    private readonly int[] _containers;

    private ValidatedText(ReadOnlyMemory<byte> utf8, int[] containers)
    {
        Utf8 = utf8;
        _containers = containers;
    }

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int Start(int container) => _containers[3 * container];

    public int End(int container) => _containers[(3 * container) + 1];

    /// <summary>The number of the first container after <paramref name="container"/> and everything inside it.</summary>
    public int After(int container) => _containers[(3 * container) + 2];

    public int Length(int container) => End(container) - Start(container);

    public ReadOnlyMemory<byte> Text(int container) => Utf8[Start(container)..End(container)];

    /// <summary>Notes the containers as a parse meets them; one per thread, reused by every parse on it.</summary>
    internal sealed class Recorder
    {
        [ThreadStatic]
        private static Recorder? _recorder;

        private readonly List<int> _containers = new(64);
        private readonly List<int> _open = new(8);

        public static Recorder ForThisThread()
        {
            var recorder = _recorder ??= new Recorder();
            recorder._containers.Clear();
            recorder._open.Clear();
            return recorder;
        }

        public void Open(int start)
        {
            _open.Add(_containers.Count / 3);
            _containers.Add(start);
            _containers.Add(0);
            _containers.Add(0);
        }

        public void Close(int end)
        {
            var container = _open[^1];
            _open.RemoveAt(_open.Count - 1);
            _containers[(3 * container) + 1] = end;
            _containers[(3 * container) + 2] = _containers.Count / 3;
        }

        public ValidatedText Finish(ReadOnlyMemory<byte> utf8) => new(utf8, [.. _containers]);
    }
}
