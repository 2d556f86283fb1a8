using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Ingestion.States.Json;
using Ingestion.States.Jsonata;
using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Functions;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Templates;

/// <summary>
/// The functions Step Functions adds to JSONata 2.0.6 (<c>$partition</c>, <c>$range</c>, <c>$hash</c>, <c>$random</c>
/// with an optional seed, <c>$uuid</c>, <c>$parse</c>), over the built-ins, where <c>$eval</c> is already absent.
/// </summary>
/// <remarks>
/// <c>$random</c> and <c>$uuid</c> draw from the engine's random source, so a seeded engine gives reproducible runs:
/// one frame per source, made once.
/// </remarks>
internal static class StatesFunctions
{
    /// <summary>The most elements <c>$range</c> makes, as States.ArrayRange.</summary>
    public const int MaxRange = 1000;

    private static readonly Frame Shared = CreateShared();
    private static readonly ConditionalWeakTable<IRandomSource, Frame> PerSource = [];

    public static Frame For(IRandomSource random) => PerSource.GetValue(random, CreateRandom);

    private static Frame CreateShared()
    {
        var frame = new Frame(Builtins.Root);
        Bind(frame, "partition", "<an:a>", Partition);
        Bind(frame, "range", "<nnn:a<n>>", Range);
        Bind(frame, "hash", "<s-s:s>", Hash);
        Bind(frame, "parse", "<s-:x>", Parse);
        return frame;
    }

    private static Frame CreateRandom(IRandomSource random)
    {
        var frame = new Frame(Shared);
        Bind(frame, "random", "<n?:n>", a => a.Length > 0 && a[0] is double seed ? new Random(Seed(seed)).NextDouble() : random.NextDouble());
        Bind(frame, "uuid", "<:s>", _ => Uuid(random));
        return frame;
    }

    private static void Bind(Frame frame, string name, string signature, Func<object?[], object?> body) =>
        frame.Bind(name, new BuiltinFunction(name, signature, (_, args, _) => body(args)));

    private static object? Partition(object?[] a)
    {
        var array = a[0] as JsArray ?? new JsArray { a[0] };
        var size = Integer(a[1], "partition", "the chunk size");
        if (size <= 0)
        {
            throw Fail("partition", "the chunk size must be a positive integer");
        }

        var chunks = new JsArray();
        for (var i = 0; i < array.Count; i += size)
        {
            var chunk = new JsArray();
            for (var j = i; j < Math.Min(i + size, array.Count); j++)
            {
                chunk.Add(array[j]);
            }

            chunks.Add(chunk);
        }

        return chunks;
    }

    /// <summary>From start to end inclusive, by step, as States.ArrayRange.</summary>
    private static object? Range(object?[] a)
    {
        var (start, end, step) = (Integer(a[0], "range", "the start"), Integer(a[1], "range", "the end"), Integer(a[2], "range", "the step"));
        if (step == 0)
        {
            throw Fail("range", "the step cannot be 0");
        }

        var count = end == start ? 1 : (end - start) / step < 0 ? 0 : ((long)end - start) / step + 1;
        if (count > MaxRange)
        {
            throw Fail("range", $"the range would have {count} elements, more than {MaxRange}");
        }

        var result = new JsArray((int)count);
        for (var i = 0L; i < count; i++)
        {
            result.Add((double)(start + (i * step)));
        }

        return result;
    }

    private static object? Hash(object?[] a)
    {
        if (a[0] is not string text)
        {
            return null;
        }

        var data = Encoding.UTF8.GetBytes(text);
        // MD5 and SHA-1 are offered for checksums, as States.Hash offers them, not for security.
#pragma warning disable CA5350, CA5351
        var hash = (a[1] as string) switch
        {
            "MD5" => MD5.HashData(data),
            "SHA-1" => SHA1.HashData(data),
            "SHA-256" => SHA256.HashData(data),
            "SHA-384" => SHA384.HashData(data),
            "SHA-512" => SHA512.HashData(data),
            var other => throw Fail("hash", $"the algorithm '{other}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
        };
#pragma warning restore CA5350, CA5351
        return Convert.ToHexStringLower(hash);
    }

    private static object? Parse(object?[] a)
    {
        if (a[0] is not string text)
        {
            return null;
        }

        try
        {
            return JsonConversion.FromJson(JValue.Parse(text));
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Fail("parse", $"the string is not JSON: {e.Message}");
        }
    }

    /// <summary>A version 4 UUID whose random bits come from the engine's source.</summary>
    private static string Uuid(IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.Next(0, 256);
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static int Seed(double seed) => (int)(long)Math.Truncate(seed % int.MaxValue);

    private static int Integer(object? value, string function, string what) =>
        value is double d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
            ? (int)d
            : throw Fail(function, $"{what} must be an integer");

    private static JsonataException Fail(string function, string message) => new("D3050", $"${function}: {message}");
}
