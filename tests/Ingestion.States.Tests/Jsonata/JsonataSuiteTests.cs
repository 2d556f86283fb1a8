namespace Ingestion.States.Tests.Jsonata;

/// <summary>
/// The jsonata-js 2.0.6 reference suite, read from the folder named by JSONATA_SUITE_DIR (never copied here),
/// one row per case. Cases using $eval are left out: AWS Step Functions removes that function.
/// </summary>
public sealed class JsonataSuiteTests
{
    public const string SuiteVariable = "JSONATA_SUITE_DIR";

    private static string? SuiteDir => Environment.GetEnvironmentVariable(SuiteVariable) is { Length: > 0 } dir && Directory.Exists(dir) ? dir : null;

    public static IEnumerable<object[]> Cases()
    {
        if (SuiteDir is not { } dir)
        {
            // The theory is skipped (see SuiteTheoryAttribute); one row keeps xunit from reporting "no data".
            yield return ["(suite not configured)"];
            yield break;
        }

        var groups = Path.Combine(dir, "groups");
        foreach (var id in JsonataCase.Ids(groups))
        {
            if (!JsonataCase.Load(groups, null, id).Expression.Contains("$eval", StringComparison.Ordinal))
            {
                yield return [id];
            }
        }
    }

    [SuiteTheory]
    [MemberData(nameof(Cases))]
    public void Suite_case(string id)
    {
        var dir = SuiteDir!;
        JsonataCaseRunner.Run(JsonataCase.Load(Path.Combine(dir, "groups"), Path.Combine(dir, "datasets"), id));
    }

    /// <summary>Skips the suite theory, visibly, when the suite folder is not configured.</summary>
    private sealed class SuiteTheoryAttribute : TheoryAttribute
    {
        public SuiteTheoryAttribute()
        {
            if (SuiteDir is null)
            {
                Skip = $"The JSONata reference suite is not configured: set {SuiteVariable} to its folder (.ci/run does when the shared copy is beside the checkout).";
            }
        }
    }
}
