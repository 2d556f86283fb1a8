using System.Runtime.CompilerServices;
using System.Text;
using Ingestion.Functions;
using Ingestion.Functions.Telemetry;
using Ingestion.Reliability.Tests.Support;
using Ingestion.States;
using Ingestion.States.Errors;
using Ingestion.States.Integrations;
using Ingestion.States.Json;
using Ingestion.States.Storage;

namespace Ingestion.Reliability.Tests.Security;

/// <summary>
/// Random bytes and mutated valid files through the item readers (a Distributed Map reading the object, as IngestFile
/// does) and every item they yield through ValidateStudents: the only acceptable failure is a reader refusing the
/// file (<c>States.ItemReaderFailed</c>); a validator that throws, a crash of any other kind, or a case that does not
/// end within its timeout fails the test with the bytes that did it. Fixed seed: the same cases every run.
/// </summary>
public sealed partial class FuzzTests
{
    private const int Seed = 20261124;

    /// <summary>A bound on a hang, per case (a case takes milliseconds): not a measure of speed.</summary>
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);

    private static readonly byte[][] Specials =
    [
        [0x00], [0xFF], [0xFE], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [(byte)'"'], [(byte)'\\'], [(byte)'{'], [(byte)'}'],
        [(byte)'['], [(byte)']'], [(byte)','], [(byte)';'], [(byte)':'], [(byte)'\n'], [(byte)'\r'], [(byte)'@'],
        "\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "1e99999"u8.ToArray(), "-0.0"u8.ToArray(), "123456789012345678901234567890"u8.ToArray(),
        "null"u8.ToArray(), "true"u8.ToArray(), "\"StudentID\""u8.ToArray(), "\"\""u8.ToArray(), "[[[[[[[["u8.ToArray(), "{\"a\":{\"a\":{\"a\":"u8.ToArray(),
    ];

    [Theory]
    [InlineData("JSON", ".json", 2_000)]
    [InlineData("JSONL", ".jsonl", 2_000)]
    [InlineData("CSV", ".csv", 2_000)]
    public async Task Random_and_mutated_files_never_crash_the_readers_or_the_validator_and_never_hang(string inputType, string extension, int cases)
    {
        var storage = new MemoryStorage();
        var engine = new StatesEngine(new StatesEngineOptions { Storage = storage });
        var validate = new ValidateStudentsFunction(TelemetryOptions.To(new DiscardLines()));
        engine.Functions.Register("ValidateStudents", (StreamFunction)((input, ct) => validate.InvokeAsync(input, null, ct)));
        var machine = StateMachine.Load("Fuzz", Definition(inputType));
        var seeds = Seeds(extension);
        var random = new Random(Seed + extension.Length);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);

        for (var i = 0; i < cases; i++)
        {
            var bytes = Case(random, seeds);
            storage.Object = bytes;
            var execution = engine.Start(machine, JValue.Parse("{}"));
            ExecutionResult result;
            try
            {
                result = await execution.WaitAsync().WaitAsync(PerCase);
            }
            catch (TimeoutException)
            {
                execution.Stop();
                throw new TimeoutException($"Case {i} did not end within {PerCase.TotalSeconds} s: {Convert.ToBase64String(bytes)}");
            }

            var outcome = result.Status == ExecutionStatus.Succeeded ? "SUCCEEDED" : result.Error ?? "?";
            Assert.True(outcome is "SUCCEEDED" or StatesErrors.ItemReaderFailed, $"Case {i}: {outcome}: {result.Cause}\nbytes: {Convert.ToBase64String(bytes)}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Both kinds of ending happened many times: the cases reach the validator, not only the readers' refusals.
        Assert.InRange(outcomes.GetValueOrDefault("SUCCEEDED"), cases / 20, cases);
        Assert.InRange(outcomes.GetValueOrDefault(StatesErrors.ItemReaderFailed), cases / 20, cases);
    }

    private static string Definition(string inputType) => """
        {"StartAt":"Map","States":{"Map":{"Type":"Map",
          "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":READER_CONFIG,"Parameters":{"Bucket":"fuzz","Key":"in"}},
          "ItemSelector":{"index.$":"$$.Map.Item.Index","record.$":"$$.Map.Item.Value"},
          "ItemBatcher":{"MaxItemsPerBatch":50,"BatchInput":{"file":{"key":"incoming/fuzz"}}},
          "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Validate","States":{"Validate":{
            "Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"ValidateStudents","Payload.$":"$"},"End":true}}},
          "ResultPath":null,
          "End":true}}}
        """.Replace("READER_CONFIG", inputType == "CSV" ? """{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}""" : $$"""{"InputType":"{{inputType}}"}""", StringComparison.Ordinal);

    /// <summary>The sample batches and the corpus files of one format (the small ones), to mutate.</summary>
    private static List<byte[]> Seeds(string extension) =>
        [.. Directory.EnumerateFiles(LocalScenario.TestData(""), "*" + extension, SearchOption.AllDirectories)
            .Where(path => new FileInfo(path).Length < 64 * 1024 && !path.EndsWith("manifest.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllBytes)];

    private static byte[] Case(Random random, List<byte[]> seeds)
    {
        var kind = random.NextDouble();
        if (kind < 0.1)
        {
            return RandomBytes(random, random.Next(0, 512));
        }

        if (kind < 0.2)
        {
            const string alphabet = "{}[]\",:\n\r\t 0123456789abcdefnulltrue\\@.-;StudentIDNameEmail";
            return Encoding.UTF8.GetBytes(new string([.. Enumerable.Range(0, random.Next(0, 512)).Select(_ => alphabet[random.Next(alphabet.Length)])]));
        }

        var seed = seeds[random.Next(seeds.Count)];
        if (kind < 0.6)
        {
            return ReplaceValues(random, seed);
        }

        var bytes = new List<byte>(seed);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.InsertRange(at, Specials[random.Next(Specials.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 32)));
                    break;
                case 3 when bytes.Count > 0:
                    var length = Math.Min(bytes.Count - at, random.Next(1, 64));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, RandomBytes(random, random.Next(1, 8)));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Keeps the file's shape and replaces a few of its values (JSON tokens, or CSV fields) with hostile ones.</summary>
    private static byte[] ReplaceValues(Random random, byte[] seed)
    {
        var text = Encoding.UTF8.GetString(seed);
        var csv = !text.TrimStart('\uFEFF', ' ', '\r', '\n').StartsWith('[') && !text.TrimStart().StartsWith('{');
        var tokens = (csv ? CsvField() : JsonToken()).Matches(text);
        if (tokens.Count == 0)
        {
            return seed;
        }

        var builder = new StringBuilder(text);
        foreach (var token in tokens.OrderByDescending(t => t.Index).Where(_ => random.NextDouble() < 4.0 / tokens.Count))
        {
            builder.Remove(token.Index, token.Length).Insert(token.Index, csv ? CsvValue(random) : JsonValue(random));
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static string HostileText(Random random) => random.Next(12) switch
    {
        0 => string.Empty,
        1 => "   ",
        2 => "Ada Lovelace <ada@example.edu>",
        3 => "a@b@c.edu",
        4 => new string('n', random.Next(60, 400)),
        5 => "Ada\u0000\u0007\n\r\t\u0085Lovelace",
        6 => "\u00e9\u4e2d\ud83d\ude00 Zo\u00eb",
        7 => "S 1",
        8 => "\ud800",
        9 => new string('x', random.Next(1_000, 20_000)),
        10 => "0000123",
        _ => "x@example.edu",
    };

    private static string JsonValue(Random random) => random.Next(10) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => new[] { "0", "-1", "1.5", "1e400", "-0", "12345678901234567890123", "1E-7" }[random.Next(7)],
        3 => "{}",
        4 => "[]",
        5 => "{\"a\":[1,{\"b\":null}],\"Name\":\"n\"}",
        6 => string.Concat(Enumerable.Repeat("[", random.Next(1, 80))) + "1" + string.Concat(Enumerable.Repeat("]", random.Next(1, 80))),
        _ => System.Text.Json.JsonSerializer.Serialize(HostileText(random)),
    };

    private static string CsvValue(Random random) => random.Next(6) switch
    {
        0 => string.Empty,
        1 => "\"" + HostileText(random).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        2 => "\"a,b\nc\"",
        3 => "\"unterminated",
        4 => "a\"b",
        _ => HostileText(random),
    };

    [System.Text.RegularExpressions.GeneratedRegex("\"(?:[^\"\\\\\\n]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|true|false|null")]
    private static partial System.Text.RegularExpressions.Regex JsonToken();

    [System.Text.RegularExpressions.GeneratedRegex("(?<=^|[,\\n])[^,\\n]*")]
    private static partial System.Text.RegularExpressions.Regex CsvField();

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class DiscardLines : ILineSink
    {
        public void WriteLine(string line)
        {
        }
    }

    /// <summary>One object, <c>s3://fuzz/in</c>, replaced before each case.</summary>
    private sealed class MemoryStorage : IObjectStorage
    {
        public byte[] Object { get; set; } = [];

        public Task<Stream> OpenReadAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken) =>
            Task.FromResult<Stream>(new MemoryStream(Object, writable: false));

        public Task<string> PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => Task.FromResult("etag");

        public async IAsyncEnumerable<StoredObject> ListAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
