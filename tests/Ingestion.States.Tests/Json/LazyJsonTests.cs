using System.Text;
using System.Text.Json;
using Ingestion.States.Json;

namespace Ingestion.States.Tests.Json;

/// <summary>A value parsed lazily behaves exactly as the tree the eager parser builds, and is written back as its text.</summary>
public sealed class LazyJsonTests
{
    private const string Compact = """{"b":[1,2.50,{"c":"\u00e9\"x"}],"a":null,"n":{"m":true},"s":"plain"}""";

    [Fact]
    public void Compact_text_stays_text_until_a_part_is_asked_for_and_equals_the_tree()
    {
        var lazy = Assert.IsType<JObject>(JParser.ParseLazy(Encoding.UTF8.GetBytes(Compact)));

        Assert.True(lazy.IsLazy);
        Assert.Equal(Compact.Length, lazy.Utf8Length);
        Assert.Equal(Compact, lazy.ToJsonString());
        Assert.True(lazy.IsLazy);
        Assert.Equal(JValue.Parse(Compact), lazy);
        Assert.False(lazy.IsLazy);
        Assert.Equal(JValue.Parse(Compact).GetHashCode(), lazy.GetHashCode());
    }

    [Fact]
    public void Nested_objects_and_arrays_stay_text_when_their_parent_is_built()
    {
        var lazy = (JObject)JParser.ParseLazy(Encoding.UTF8.GetBytes(Compact));

        var inner = Assert.IsType<JObject>(lazy.Get("n"));
        Assert.True(inner.IsLazy);
        Assert.Equal("""{"m":true}""", inner.ToJsonString());
        var array = Assert.IsType<JArray>(lazy.Get("b"));
        Assert.Equal(3, array.Count);
        Assert.Equal("é\"x", ((JString)((JObject)array[2]).Get("c")!).Value);
        Assert.Equal("2.50", array[1].ToJsonString());
        Assert.Equal(["b", "a", "n", "s"], lazy.Select(p => p.Key));
    }

    [Fact]
    public void A_lazy_value_inside_a_built_one_is_copied_as_text()
    {
        var record = JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"Name":"Ada \u00e9"}"""));
        var envelope = new JObject([new("index", JNumber.Of(3)), new("record", record)]);

        Assert.Equal("""{"index":3,"record":{"Name":"Ada \u00e9"}}""", envelope.ToJsonString());
        Assert.Equal(envelope.ToJsonString().Length, envelope.Utf8Length);
    }

    [Theory]
    [InlineData("""{ "a": 1 }""")]
    [InlineData("""{"a":1} """)]
    [InlineData("""{"a" :1}""")]
    [InlineData("[1, 2]")]
    [InlineData("""{"\u0061":1}""")]
    public void Text_that_is_not_compact_is_built_at_once_and_written_compactly(string text)
    {
        var value = JParser.ParseLazy(Encoding.UTF8.GetBytes(text));

        Assert.False(value is JObject { IsLazy: true });
        Assert.Equal(JValue.Parse(text), value);
        Assert.Equal(JValue.Parse(text).ToJsonString(), value.ToJsonString());
    }

    [Fact]
    public void A_repeated_key_is_resolved_at_once_the_last_one_winning_as_the_eager_parser_does()
    {
        var value = (JObject)JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"a":1,"b":{"a":0},"a":2}"""));

        Assert.False(value.IsLazy);
        Assert.Equal("""{"a":2,"b":{"a":0}}""", value.ToJsonString());
    }

    [Fact]
    public void The_same_key_in_sibling_objects_is_not_a_repeat()
    {
        var value = (JArray)JParser.ParseLazy(Encoding.UTF8.GetBytes("""[{"a":1},{"a":2}]"""));

        Assert.Equal("""[{"a":1},{"a":2}]""", value.ToJsonString());
        Assert.Equal(2, ((JNumber)((JObject)value[1]).Get("a")!).LongValue);
    }

    [Theory]
    [InlineData("""[[],{},[[]],{"a":{}},0]""")]
    [InlineData("""{"n":-1.5e+3,"t":true,"f":false,"z":null,"s":"a\\\"]},b","o":{"x":[1,{"y":"}"}],"w":2},"e":[]}""")]
    [InlineData("""[1,"two",[3,[4,[5]]],{"six":6},null,7.0]""")]
    [InlineData("""{"a":[{"b":[{"c":[true]}]},{"b":[]}],"d":{"e":{"f":{"g":"deep"}}},"h":0}""")]
    public void Every_level_built_from_the_text_equals_the_eager_tree(string json)
    {
        var lazy = JParser.ParseLazy(Encoding.UTF8.GetBytes(json));

        AssertSameTree(JValue.Parse(json), lazy);

        static void AssertSameTree(JValue expected, JValue actual)
        {
            // Walk the lazy value level by level: each one is built from the text where its parent left it.
            switch (expected)
            {
                case JObject o:
                    var obj = Assert.IsType<JObject>(actual);
                    Assert.Equal(o.Select(p => p.Key), obj.Select(p => p.Key));
                    foreach (var (key, value) in o)
                    {
                        AssertSameTree(value, obj.Get(key)!);
                    }

                    break;
                case JArray a:
                    var array = Assert.IsType<JArray>(actual);
                    Assert.Equal(a.Count, array.Count);
                    for (var i = 0; i < a.Count; i++)
                    {
                        AssertSameTree(a[i], array[i]);
                    }

                    break;
                default:
                    Assert.Equal(expected, actual);
                    Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
                    break;
            }
        }
    }

    [Fact]
    public void Text_that_cannot_become_a_string_fails_when_parsed_not_when_first_read()
    {
        Assert.Throws<InvalidOperationException>(() => JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"a":"\ud800"}""")));
        byte[] notUtf8 = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        Assert.ThrowsAny<Exception>(() => JParser.ParseLazy(notUtf8));
        Assert.ThrowsAny<JsonException>(() => JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"a":1""")));
        Assert.ThrowsAny<JsonException>(() => JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"a":1}x""")));
    }

    [Theory]
    [InlineData("""{"a":"quote \" and \u00e9 and \n"}""", "quote \" and é and \n")]
    [InlineData("""{"a":"\ud83d\ude00"}""", "😀")]
    [InlineData("""{"a":"\u0064\\u"}""", "d\\u")]
    public void Escaped_text_that_is_valid_stays_lazy_and_reads_back(string json, string expected)
    {
        var value = (JObject)JParser.ParseLazy(Encoding.UTF8.GetBytes(json));

        Assert.True(value.IsLazy);
        Assert.Equal(expected, ((JString)value.Get("a")!).Value);
    }

    [Theory]
    [InlineData("""{"a":"\udc00"}""")]
    [InlineData("""{"a":"x\ud83dy"}""")]
    public void An_unpaired_surrogate_escape_fails_when_parsed(string json) =>
        Assert.Throws<InvalidOperationException>(() => JParser.ParseLazy(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_indented_writer_gets_the_tree_not_the_compact_text()
    {
        var value = JParser.ParseLazy(Encoding.UTF8.GetBytes("""{"a":[1]}"""));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            value.WriteTo(writer);
        }

        Assert.Contains("\n", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Threads_building_the_same_object_at_once_see_one_result()
    {
        var value = (JObject)JParser.ParseLazy(Encoding.UTF8.GetBytes(Compact));
        var seen = new JValue?[8];

        Parallel.For(0, seen.Length, i => seen[i] = value.Get("n"));

        Assert.All(seen, s => Assert.Same(seen[0], s));
    }
}
