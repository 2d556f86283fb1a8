namespace Ingestion.States.Jsonata.Functions;

/// <summary>$formatInteger and $parseInteger over <see cref="IntegerPicture"/>.</summary>
internal static partial class IntegerFormats
{
    public static object? Format(object?[] a) => a[0] is double value ? IntegerPicture.Parse(Picture(a[1])).Format(value) : null;

    public static object? Parse(object?[] a) => a[0] is string text ? IntegerPicture.Parse(Picture(a[1])).ParseValue(text) : null;

    private static string Picture(object? picture) =>
        picture as string ?? throw Evaluation.JsonataErrors.Create("D3130", "Formatting or parsing an integer as a sequence starting with undefined is not supported by this implementation");
}
