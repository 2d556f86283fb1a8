namespace Ingestion.Tools.Cost;

/// <summary>One billed dimension: how much of it each design uses, and what that costs.</summary>
/// <param name="OursBasis">How <paramref name="Ours"/> was counted, in a few words.</param>
/// <param name="NaiveBasis">How <paramref name="Naive"/> was counted.</param>
public sealed record CostLine(ListPrice Price, double Ours, double Naive, string OursBasis, string NaiveBasis)
{
    public double OursCost => Ours * Price.PerUnit;

    public double NaiveCost => Naive * Price.PerUnit;
}

/// <summary>The billed durations per invocation the estimate arrived at, in milliseconds.</summary>
/// <param name="Validate">ValidateStudents per batch.</param>
/// <param name="Store">StoreStudents per batch.</param>
/// <param name="ChildBilled">One EXPRESS child, rounded up to 100 ms as billed.</param>
/// <param name="NaiveValidate">The naive design's validation per student.</param>
/// <param name="NaiveStore">The naive design's PutItem per student.</param>
/// <param name="NaiveNotify">The naive design's Publish per student.</param>
public sealed record InvocationDurations(double Validate, double Store, double ChildBilled, double NaiveValidate, double NaiveStore, double NaiveNotify);

/// <summary>The estimated bill of one run, the deployed design next to the naive one.</summary>
public sealed record CostEstimate(
    CostScenario Scenario,
    DeployedShape Shape,
    CostAssumptions Assumptions,
    InvocationDurations Durations,
    IReadOnlyList<CostLine> Lines)
{
    public long Batches => Shape.BatchesFor(Scenario.Students);

    public double OursTotal => Lines.Sum(l => l.OursCost);

    public double NaiveTotal => Lines.Sum(l => l.NaiveCost);

    /// <summary>How many times the naive design's bill is ours.</summary>
    public double Ratio => OursTotal > 0 ? NaiveTotal / OursTotal : double.PositiveInfinity;

    /// <summary>A total scaled to <paramref name="students"/> students (per 1,000, per million).</summary>
    public double Per(double total, long students) => total / Scenario.Students * students;
}
