namespace Ingestion.States.Jsonata.Functions;

/// <summary>$fromMillis and $toMillis with XPath picture strings.</summary>
internal static partial class DateTimeFunctions
{
    public static object? ToMillis(object?[] a) => throw new NotSupportedException("toMillis");

    public static object? FromMillis(object?[] a) => throw new NotSupportedException("fromMillis");
}
