namespace Ingestion.States.Jsonata.Functions;

/// <summary>$formatInteger and $parseInteger over <see cref="IntegerPicture"/>.</summary>
internal static partial class IntegerFormats
{
    public static object? Format(object?[] a) => a[0] is double value ? IntegerPicture.Parse((string)a[1]!).Format(value) : null;

    public static object? Parse(object?[] a) => a[0] is string text ? IntegerPicture.Parse((string)a[1]!).ParseValue(text) : null;
}
