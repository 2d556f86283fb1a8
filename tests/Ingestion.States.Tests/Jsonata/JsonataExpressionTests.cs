using Ingestion.States.Json;
using Ingestion.States.Jsonata;
using Ingestion.States.Jsonata.Text;
using Ingestion.States.Jsonata.Values;

namespace Ingestion.States.Tests.Jsonata;

public sealed class JsonataExpressionTests
{
    [Fact]
    public void Evaluate_returns_null_for_undefined()
    {
        var result = JsonataExpression.Parse("missing").Evaluate(JValue.Parse("""{"a":1}"""));

        Assert.Null(result);
    }

    [Fact]
    public void Evaluate_is_safe_from_many_threads_on_one_parse()
    {
        var expression = JsonataExpression.Parse("$sum(items.(price * qty))");
        var input = JValue.Parse("""{"items":[{"price":2,"qty":3},{"price":1.5,"qty":2}]}""");

        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => expression.Evaluate(input)!.ToJsonString()).ToList();

        Assert.All(results, r => Assert.Equal("9", r));
    }

    [Fact]
    public void Evaluate_binds_variables()
    {
        var bindings = new Dictionary<string, JValue> { ["limit"] = JNumber.Of(2) };

        var result = JsonataExpression.Parse("$filter([1, 2, 3], function($v) { $v >= $limit })").Evaluate(null, bindings);

        Assert.Equal("[2,3]", result!.ToJsonString());
    }

    [Fact]
    public void TryParse_reports_syntax_errors_with_position()
    {
        var ok = JsonataExpression.TryParse("a.(b", out _, out var error);

        Assert.False(ok);
        Assert.Equal("S0203", error!.Code);
        Assert.True(error.Position > 0);
    }

    [Fact]
    public void Evaluate_time_limit_stops_infinite_loops()
    {
        var expression = JsonataExpression.Parse("($f := function($n) { $f($n + 1) }; $f(0))");
        var options = new JsonataOptions { TimeLimit = TimeSpan.FromMilliseconds(50) };

        var error = Assert.Throws<JsonataException>(() => expression.Evaluate(null, options: options));

        Assert.Equal("U1001", error.Code);
    }

    [Fact]
    public void Evaluate_deep_non_tail_recursion_fails_cleanly()
    {
        var expression = JsonataExpression.Parse("($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))");

        var error = Assert.Throws<JsonataException>(() => expression.Evaluate(null));

        Assert.Equal("U1001", error.Code);
    }

    [Theory]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(100, "100")]
    public void NumberText_prints_as_javascript_prints_numbers(double value, string expected) => Assert.Equal(expected, NumberText.Format(value));

    [Fact]
    public void JsonConversion_round_trips_values()
    {
        var json = JValue.Parse("""{"a":[1,2.5,"x",true,null,{"b":{}}],"c":-3}""");

        var back = JsonConversion.ToJson(JsonConversion.FromJson(json));

        Assert.Equal(json, back);
    }
}
