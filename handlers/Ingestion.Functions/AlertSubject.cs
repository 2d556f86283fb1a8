using System.Text;

namespace Ingestion.Functions;

/// <summary>The Subject of an AdminAlerts message, as SNS accepts it.</summary>
/// <remarks>
/// SNS refuses a Subject of 100 characters or more, or one with line breaks or control characters, and e-mail
/// subscribers need ASCII: a refused Publish would fail the execution after the work is done. A file name can be
/// anything S3 accepts, so it is made printable ASCII (anything else becomes <c>?</c>) and shortened with an ASCII
/// ellipsis; the status and counts after it are what an administrator sorts mail by, so they are kept whole.
/// </remarks>
internal static class AlertSubject
{
    /// <summary>SNS: "less than 100 characters".</summary>
    public const int MaxLength = 99;

    private const string Ellipsis = "...";

    /// <summary><paramref name="prefix"/>, the file name shortened to fit, <paramref name="suffix"/>.</summary>
    public static string Build(string prefix, string name, string suffix)
    {
        var room = MaxLength - prefix.Length - suffix.Length;
        var printable = Printable(name);
        if (printable.Length > room)
        {
            printable = room > Ellipsis.Length ? printable[..(room - Ellipsis.Length)] + Ellipsis : string.Empty;
        }

        var subject = Printable(prefix + printable + suffix);
        return subject.Length > MaxLength ? subject[..(MaxLength - Ellipsis.Length)] + Ellipsis : subject;
    }

    /// <summary>Printable ASCII only: a control character or line break becomes a space, anything else outside ASCII <c>?</c>.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else if (char.IsControl(c))
            {
                builder.Append(' ');
            }
            else if (!char.IsLowSurrogate(c))
            {
                // One '?' a character: a surrogate pair is one character.
                builder.Append('?');
            }
        }

        return builder.ToString();
    }
}
