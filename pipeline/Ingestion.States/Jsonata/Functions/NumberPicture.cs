namespace Ingestion.States.Jsonata.Functions;

/// <summary>$formatNumber: XPath F&amp;O 3.1 format-number pictures.</summary>
internal static partial class NumberPicture
{
    public static object? Format(object?[] a) => throw new NotSupportedException("formatNumber");
}
