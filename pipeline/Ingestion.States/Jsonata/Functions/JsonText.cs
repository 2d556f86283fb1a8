using System.Text;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Text;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>JSON.stringify as $string uses it: numbers rounded to 15 significant digits, functions as "".</summary>
internal static class JsonText
{
    public static string Write(object? value, bool pretty)
    {
        var sb = new StringBuilder();
        Write(sb, value, pretty, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool pretty, int indent)
    {
        switch (value)
        {
            case null or JsNull:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                if (!double.IsFinite(d))
                {
                    throw JsonataErrors.Create("D1001", $"Number out of range: {NumberText.Format(d)}");
                }

                sb.Append(NumberText.Format(NumberText.ToPrecision15(d)));
                break;
            case string s:
                WriteString(sb, s);
                break;
            case JsFunction:
                sb.Append("\"\"");
                break;
            case JsArray array:
                WriteArray(sb, array, pretty, indent);
                break;
            case JsObject obj:
                WriteObject(sb, obj, pretty, indent);
                break;
        }
    }

    private static void WriteArray(StringBuilder sb, JsArray array, bool pretty, int indent)
    {
        if (array.Count == 0)
        {
            sb.Append("[]");
            return;
        }

        sb.Append('[');
        for (var i = 0; i < array.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            NewLine(sb, pretty, indent + 1);
            Write(sb, array[i], pretty, indent + 1);
        }

        NewLine(sb, pretty, indent);
        sb.Append(']');
    }

    private static void WriteObject(StringBuilder sb, JsObject obj, bool pretty, int indent)
    {
        var first = true;
        sb.Append('{');
        foreach (var (key, value) in obj)
        {
            if (value is null)
            {
                continue;
            }

            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            NewLine(sb, pretty, indent + 1);
            WriteString(sb, key);
            sb.Append(pretty ? ": " : ":");
            Write(sb, value, pretty, indent + 1);
        }

        if (!first)
        {
            NewLine(sb, pretty, indent);
        }

        sb.Append('}');
    }

    private static void NewLine(StringBuilder sb, bool pretty, int indent)
    {
        if (pretty)
        {
            sb.Append('\n').Append(' ', indent * 2);
        }
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPaired(s, i)))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static bool IsPaired(string s, int i) =>
        char.IsHighSurrogate(s[i])
            ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
