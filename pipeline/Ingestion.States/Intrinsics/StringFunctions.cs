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

                result.Append(args[next++] switch
                {
                    JString s => s.Value,
                    JNumber or JBool or JNull => args[next - 1].ToJsonString(),
                    _ => throw args.Fail($"argument {next} must be a string, number, boolean or null"),
                });
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

    public static JValue StringToJson(IntrinsicArguments args)
    {
        var text = args.String(0);
        if (text.Length == 0)
        {
            // An empty string has no JSON value; AWS yields null for it.
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
