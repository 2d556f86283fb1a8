namespace Ingestion.Tools.Cost;

/// <summary>The run being priced: one file of <see cref="Students"/> records.</summary>
/// <param name="Students">Records in the file.</param>
/// <param name="ChangedFraction">
/// <see langword="null"/> for a first load (every valid student is created); otherwise a nightly re-run of the same
/// export in which this share of the valid students changed (updated) and the rest did not (unchanged).
/// </param>
/// <param name="InvalidFraction">The share of records rejected by validation (the synthetic exports have 2%).</param>
public sealed record CostScenario(long Students, double? ChangedFraction = null, double InvalidFraction = CostScenario.DefaultInvalidFraction)
{
    public const double DefaultInvalidFraction = 0.02;

    public bool IsRerun => ChangedFraction is not null;

    public long Rejected => (long)Math.Round(Students * InvalidFraction);

    public long Valid => Students - Rejected;

    public long Created => IsRerun ? 0 : Valid;

    public long Updated => IsRerun ? (long)Math.Round(Valid * ChangedFraction!.Value) : 0;

    public long Unchanged => Valid - Created - Updated;

    /// <summary>Students written, and so announced: created and updated.</summary>
    public long Written => Created + Updated;

    /// <summary>Why the scenario cannot be priced, or <see langword="null"/>.</summary>
    public string? Problem() =>
        Students < 1 ? "--students must be at least 1."
        : ChangedFraction is < 0 or > 1 or double.NaN ? "--changed-fraction must be between 0 and 1."
        : InvalidFraction is < 0 or > 1 or double.NaN ? "--invalid-fraction must be between 0 and 1."
        : null;
}
