using System.Security.Cryptography;
using System.Text;
using Ingestion.States.Json;

namespace Ingestion.States.Intrinsics;

internal static class StringFunctions
{
    /// <summary>AWS caps the input of Base64Encode/Decode and Hash at 10,000 characters.</summary>
    private const int MaxStringLength = 10_000;

    public static JValue Format(IntrinsicArguments args)
    {
        var template = args.RawString(0) ?? args.String(0);
        var result = new StringBuilder(template.Length + 32);
        var next = 1;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length)
            {
                result.Append(template[++i]);
            }
            else if (c == '{' && i + 1 < template.Length && template[i + 1] == '}')
            {
                if (next >= args.Count)
                {
                    throw args.Fail("the template has more placeholders than arguments");
                }

                AppendFormatted(result, args[next++]);
                i++;
            }
            else
            {
                result.Append(c);
            }
        }

        if (next != args.Count)
        {
            throw args.Fail("the template has fewer placeholders than arguments");
        }

        return new JString(result.ToString());
    }

    /// <summary>
    /// A value as States.Format writes it, which is how Java prints maps and lists: <c>{a=1, b=[x, true]}</c>, strings
    /// without quotes at any depth, other scalars as JSON.
    /// </summary>
    private static void AppendFormatted(StringBuilder result, JValue value)
    {
        switch (value)
        {
            case JString s:
                result.Append(s.Value);
                break;
            case JObject o:
                result.Append('{');
                for (var i = 0; i < o.Count; i++)
                {
                    result.Append(i == 0 ? "" : ", ").Append(o[i].Key).Append('=');
                    AppendFormatted(result, o[i].Value);
                }

                result.Append('}');
                break;
            case JArray a:
                result.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    result.Append(i == 0 ? "" : ", ");
                    AppendFormatted(result, a[i]);
                }

                result.Append(']');
                break;
            default:
                result.Append(value.ToJsonString());
                break;
        }
    }

    public static JValue StringToJson(IntrinsicArguments args)
    {
        var text = args.String(0);
        if (string.IsNullOrWhiteSpace(text))
        {
            // An empty or blank string has no JSON value; AWS yields null for both.
            return JValue.Null;
        }

        return JParser.TryParse(text, out var value, out var error)
            ? value
            : throw args.Fail($"the string is not valid JSON ({error})");
    }

    public static JValue JsonToString(IntrinsicArguments args) => new JString(args[0].ToJsonString());

    public static JValue StringSplit(IntrinsicArguments args)
    {
        var text = args.String(0);
        var delimiters = args.String(1);
        // Every character of the second argument is a delimiter and empty tokens are dropped,
        // which is what AWS's examples ("This.is+a,test=string" split on ".+,=") show.
        var parts = text.Split(delimiters.ToCharArray(), StringSplitOptions.RemoveEmptyEntries);
        return new JArray([.. parts.Select(p => (JValue)new JString(p))]);
    }

    public static JValue Base64Encode(IntrinsicArguments args)
    {
        var text = Limit(args, args.String(0));
        return new JString(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
    }

    public static JValue Base64Decode(IntrinsicArguments args)
    {
        var text = Limit(args, args.String(0));
        try
        {
            return new JString(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
        }
        catch (FormatException)
        {
            throw args.Fail("the string is not valid base64");
        }
    }

    public static JValue Hash(IntrinsicArguments args)
    {
        var data = Encoding.UTF8.GetBytes(Limit(args, args[0] is JString s ? s.Value : args[0].ToJsonString()));
        // MD5 and SHA-1 are what States.Hash offers for checksums, not for security.
#pragma warning disable CA5350, CA5351
        var hash = args.String(1) switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            var other => throw args.Fail($"the algorithm '{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
        };
#pragma warning restore CA5350, CA5351
        return new JString(Convert.ToHexStringLower(hash));
    }

    public static JValue Uuid(IntrinsicArguments args) => new JString(Guid.NewGuid().ToString());

    private static string Limit(IntrinsicArguments args, string text) =>
        text.Length <= MaxStringLength ? text : throw args.Fail($"the string is longer than {MaxStringLength} characters");
}
