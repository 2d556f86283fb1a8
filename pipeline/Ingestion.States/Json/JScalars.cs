using System.Globalization;
using System.Text.Json;

namespace Ingestion.States.Json;

public sealed class JNull : JValue
{
    internal static readonly JNull Instance = new();

    private JNull()
    {
    }

    public override JKind Kind => JKind.Null;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteNullValue();

    public override bool Equals(JValue? other) => other is JNull;

    public override int GetHashCode() => 0;

    private protected override int ComputeUtf8Length() => 4;
}

public sealed class JBool : JValue
{
    internal static readonly JBool TrueValue = new(true);
    internal static readonly JBool FalseValue = new(false);

    private JBool(bool value) => Value = value;

    public bool Value { get; }

    public override JKind Kind => JKind.Boolean;

    public static JBool Of(bool value) => value ? TrueValue : FalseValue;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteBooleanValue(Value);

    public override bool Equals(JValue? other) => other is JBool b && b.Value == Value;

    public override int GetHashCode() => Value ? 1 : 2;

    private protected override int ComputeUtf8Length() => Value ? 4 : 5;
}

public sealed class JString : JValue
{
    internal static readonly JString Empty = new(string.Empty);

    public JString(string value) => Value = value;

    public string Value { get; }

    public override JKind Kind => JKind.String;

    public override void WriteTo(Utf8JsonWriter writer) => writer.WriteStringValue(Value);

    public override bool Equals(JValue? other) => other is JString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    private protected override int ComputeUtf8Length() => JLength.OfString(Value);
}

/// <summary>A JSON number: an integer when it fits a long, otherwise a double with its original text.</summary>
public sealed class JNumber : JValue
{
    private static readonly JNumber[] SmallIntegers = CreateSmallIntegers();

    private readonly long _long;
    private readonly double _double;
    private readonly string? _text;

    private JNumber(long value)
    {
        IsInteger = true;
        _long = value;
        _double = value;
    }

    private JNumber(double value, string? text)
    {
        _double = value;
        _text = text;
    }

    public bool IsInteger { get; }

    public double Value => _double;

    public long LongValue => IsInteger ? _long : (long)_double;

    public override JKind Kind => JKind.Number;

    public static JNumber Of(long value) => value is >= 0 and < 256 ? SmallIntegers[value] : new JNumber(value);

    public static JNumber Of(int value) => Of((long)value);

    public static JNumber Of(double value)
    {
        // Integral doubles print without a fraction, as Java's JSON libraries behind AWS print them.
        if (Math.Abs(value) < 9e15 && Math.Floor(value) == value)
        {
            return Of((long)value);
        }

        return new JNumber(value, null);
    }

    internal static JNumber FromText(double value, string text) => new(value, text);

    /// <summary>The value as an int when it is integral and in range (array indexes, counts).</summary>
    public bool TryGetInt32(out int value)
    {
        if (IsInteger && _long is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)_long;
            return true;
        }

        if (!IsInteger && Math.Floor(_double) == _double && _double is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)_double;
            return true;
        }

        value = 0;
        return false;
    }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        if (IsInteger)
        {
            writer.WriteNumberValue(_long);
        }
        else if (_text is not null)
        {
            writer.WriteRawValue(_text, skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(_double);
        }
    }

    public override bool Equals(JValue? other) => other is JNumber n && n._double.Equals(_double) && (!IsInteger || !n.IsInteger || n._long == _long);

    public override int GetHashCode() => _double.GetHashCode();

    private protected override int ComputeUtf8Length()
    {
        if (IsInteger)
        {
            Span<char> buffer = stackalloc char[24];
            _long.TryFormat(buffer, out var written, provider: CultureInfo.InvariantCulture);
            return written;
        }

        return _text?.Length ?? _double.ToString("R", CultureInfo.InvariantCulture).Length;
    }

    private static JNumber[] CreateSmallIntegers()
    {
        var values = new JNumber[256];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new JNumber(i);
        }

        return values;
    }
}
