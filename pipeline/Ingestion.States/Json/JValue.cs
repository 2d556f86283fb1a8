using System.Text;
using System.Text.Json;

namespace Ingestion.States.Json;

/// <summary>The kind of a JSON value.</summary>
public enum JKind
{
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// An immutable JSON value: the interpreter's data model.
/// </summary>
/// <remarks>
/// Immutability is what makes the interpreter fast: a state's output can share subtrees with its
/// input, history events can hold a reference instead of a serialised copy, and the serialised
/// size (for the payload limit) is computed once per node and cached.
/// </remarks>
public abstract class JValue : IEquatable<JValue>
{
    private int _utf8Length = -1;

    private protected JValue()
    {
    }

    public abstract JKind Kind { get; }

    public static JValue Null => JNull.Instance;

    public static JValue True => JBool.TrueValue;

    public static JValue False => JBool.FalseValue;

    /// <summary>The length of the compact UTF-8 serialisation, computed once.</summary>
    public int Utf8Length
    {
        get
        {
            if (_utf8Length < 0)
            {
                _utf8Length = ComputeUtf8Length();
            }

            return _utf8Length;
        }
    }

    public static JValue Parse(string json) => JParser.Parse(Encoding.UTF8.GetBytes(json));

    public static JValue Parse(ReadOnlySpan<byte> utf8) => JParser.Parse(utf8);

    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>
    /// The compact JSON text this value was read from and is written back as, when it keeps one (objects and
    /// arrays from <see cref="JParser.ParseLazy"/>); empty otherwise.
    /// </summary>
    /// <remarks>
    /// The text is the value's serialisation for every purpose: written out as is (escapes as they came), and
    /// its length is <see cref="Utf8Length"/>, as a payload's size is what was sent.
    /// </remarks>
    internal ReadOnlyMemory<byte> Utf8Text => RawText;

    /// <summary>
    /// The compact JSON text this value was read from, when it keeps one (objects and arrays from a Lambda payload
    /// or an item reader): an integration can read a request's fields straight from it instead of building the tree.
    /// </summary>
    public bool TryGetUtf8Text(out ReadOnlyMemory<byte> text)
    {
        text = RawText;
        return !text.IsEmpty;
    }

    private protected virtual ReadOnlyMemory<byte> RawText => default;

    /// <summary>Writes the kept text, if any, to a compact writer; returns false when the value must be written from its parts.</summary>
    private protected bool TryWriteRaw(Utf8JsonWriter writer)
    {
        var raw = RawText;
        if (raw.IsEmpty || writer.Options.Indented)
        {
            return false;
        }

        writer.WriteRawValue(raw.Span, skipInputValidation: true);
        return true;
    }

    /// <summary>Compact JSON text, as AWS shows payloads in histories and results.</summary>
    public string ToJsonString() => Encoding.UTF8.GetString(ToUtf8Bytes());

    public byte[] ToUtf8Bytes()
    {
        if (!RawText.IsEmpty)
        {
            return RawText.ToArray();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Math.Max(16, _utf8Length));
        using (var writer = new Utf8JsonWriter(buffer, JWriterOptions.Compact))
        {
            WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public override string ToString() => ToJsonString();

    public abstract bool Equals(JValue? other);

    public override bool Equals(object? obj) => obj is JValue other && Equals(other);

    public abstract override int GetHashCode();

    private protected abstract int ComputeUtf8Length();
}

internal static class JWriterOptions
{
    /// <summary>Relaxed escaping keeps non-ASCII text readable, as AWS prints it.</summary>
    public static readonly JsonWriterOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static readonly JsonWriterOptions Indented = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
    };
}
