using Ingestion.States.Jsonata.Evaluation;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Jsonata.Functions;

/// <summary>The built-in function library, bound once in a root frame shared by every evaluation.</summary>
/// <remarks>$eval is absent on purpose: AWS Step Functions removes it.</remarks>
internal static class Builtins
{
    public static Frame Root { get; } = CreateRoot();

    private static Frame CreateRoot()
    {
        var root = new Frame(null);
        void Add(string name, string signature, Func<object?[], object?> body, int arity = -1) =>
            root.Bind(name, new BuiltinFunction(name, signature, (_, args, _) => body(args), arity));
        void AddWith(string name, string signature, BuiltinBody body, int arity = -1) =>
            root.Bind(name, new BuiltinFunction(name, signature, body, arity));

        Add("sum", "<a<n>:n>", NumericFunctions.Sum);
        Add("count", "<a:n>", ArrayFunctions.Count);
        Add("max", "<a<n>:n>", NumericFunctions.Max);
        Add("min", "<a<n>:n>", NumericFunctions.Min);
        Add("average", "<a<n>:n>", NumericFunctions.Average);
        Add("string", "<x-b?:s>", StringFunctions.String, 1);
        Add("substring", "<s-nn?:s>", StringFunctions.Substring);
        Add("substringBefore", "<s-s:s>", StringFunctions.SubstringBefore);
        Add("substringAfter", "<s-s:s>", StringFunctions.SubstringAfter);
        Add("lowercase", "<s-:s>", StringFunctions.Lowercase);
        Add("uppercase", "<s-:s>", StringFunctions.Uppercase);
        Add("length", "<s-:n>", StringFunctions.Length);
        Add("trim", "<s-:s>", StringFunctions.Trim);
        Add("pad", "<s-ns?:s>", StringFunctions.Pad);
        AddWith("match", "<s-f<s:o>n?:a<o>>", (e, a, _) => RegexFunctions.Match(e, a));
        AddWith("contains", "<s-(sf):b>", (e, a, _) => RegexFunctions.Contains(e, a));
        AddWith("replace", "<s-(sf)(sf)n?:s>", (e, a, _) => RegexFunctions.Replace(e, a));
        AddWith("split", "<s-(sf)n?:a<s>>", (e, a, _) => RegexFunctions.Split(e, a));
        Add("join", "<a<s>s?:s>", StringFunctions.Join);
        Add("formatNumber", "<n-so?:s>", NumberPicture.Format);
        Add("formatBase", "<n-n?:s>", IntegerFormats.FormatBase);
        Add("formatInteger", "<n-s:s>", IntegerFormats.Format);
        Add("parseInteger", "<s-s:n>", IntegerFormats.Parse);
        Add("number", "<(nsb)-:n>", NumericFunctions.Number);
        Add("floor", "<n-:n>", NumericFunctions.Floor);
        Add("ceil", "<n-:n>", NumericFunctions.Ceil);
        Add("round", "<n-n?:n>", NumericFunctions.Round);
        Add("abs", "<n-:n>", NumericFunctions.Abs);
        Add("sqrt", "<n-:n>", NumericFunctions.Sqrt);
        Add("power", "<n-n:n>", NumericFunctions.Power);
        Add("random", "<:n>", NumericFunctions.Random);
        Add("boolean", "<x-:b>", a => JsValues.Boolean(a[0]));
        Add("not", "<x-:b>", a => a[0] is null ? null : !JsValues.Truthy(a[0]));
        AddWith("map", "<af>", (e, a, _) => HigherOrderFunctions.Map(e, a));
        Add("zip", "<a+>", ArrayFunctions.Zip);
        AddWith("filter", "<af>", (e, a, _) => HigherOrderFunctions.Filter(e, a));
        AddWith("single", "<af?>", (e, a, _) => HigherOrderFunctions.Single(e, a));
        AddWith("reduce", "<afj?:j>", (e, a, _) => HigherOrderFunctions.Reduce(e, a));
        AddWith("sift", "<o-f?:o>", (e, a, _) => HigherOrderFunctions.Sift(e, a));
        Add("keys", "<x-:a<s>>", ObjectFunctions.Keys);
        Add("lookup", "<x-s:x>", ObjectFunctions.Lookup);
        Add("append", "<xx:a>", ArrayFunctions.Append);
        Add("exists", "<x:b>", a => a[0] is not null);
        Add("spread", "<x-:a<o>>", ObjectFunctions.Spread);
        Add("merge", "<a<o>:o>", ObjectFunctions.Merge);
        Add("reverse", "<a:a>", ArrayFunctions.Reverse);
        AddWith("each", "<o-f:a>", (e, a, _) => HigherOrderFunctions.Each(e, a));
        Add("error", "<s?:x>", ObjectFunctions.Error);
        Add("assert", "<bs?:x>", ObjectFunctions.Assert);
        Add("type", "<x:s>", ObjectFunctions.Type);
        AddWith("sort", "<af?:a>", (e, a, _) => ArrayFunctions.Sort(e, a));
        Add("shuffle", "<a:a>", ArrayFunctions.Shuffle);
        Add("distinct", "<x:x>", ArrayFunctions.Distinct);
        Add("base64encode", "<s-:s>", StringFunctions.Base64Encode);
        Add("base64decode", "<s-:s>", StringFunctions.Base64Decode);
        Add("encodeUrlComponent", "<s-:s>", UrlFunctions.EncodeComponent);
        Add("encodeUrl", "<s-:s>", UrlFunctions.Encode);
        Add("decodeUrlComponent", "<s-:s>", UrlFunctions.DecodeComponent);
        Add("decodeUrl", "<s-:s>", UrlFunctions.Decode);
        AddWith("toMillis", "<s-s?:n>", (e, a, _) => DateTimeFunctions.ToMillis(e, a));
        AddWith("fromMillis", "<n-s?s?:s>", (_, a, _) => DateTimeFunctions.FromMillis(a));
        AddWith("now", "<s?s?:s>", (e, a, _) => DateTimeFunctions.FromMillis([(double)e.Now.ToUnixTimeMilliseconds(), .. a]));
        AddWith("millis", "<:n>", (e, _, _) => (double)e.Now.ToUnixTimeMilliseconds());
        Add("clone", "<(oa)-:o>", ObjectFunctions.Clone);
        return root;
    }
}
