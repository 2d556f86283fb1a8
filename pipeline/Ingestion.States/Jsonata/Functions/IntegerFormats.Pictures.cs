namespace Ingestion.States.Jsonata.Functions;

internal static partial class IntegerFormats
{
    public static object? Format(object?[] a) => throw new NotSupportedException("formatInteger");

    public static object? Parse(object?[] a) => throw new NotSupportedException("parseInteger");
}
