namespace Ingestion.Tools.Cost;

/// <summary>A deployed Lambda function as the estimate prices it.</summary>
/// <param name="Name">The function's construct id in the CDK app (<c>cdk/Ingestion.Cdk/Functions.cs</c>).</param>
/// <param name="MemoryMb">Its configured memory: what a millisecond of it is billed by.</param>
public sealed record LambdaFunction(string Name, int MemoryMb)
{
    /// <summary>Memory in GB, as Lambda bills it (1 GB = 1024 MB).</summary>
    public double MemoryGb => MemoryMb / 1024.0;

    /// <summary>
    /// How much slower CPU-bound code runs than on one full core: Lambda gives a function CPU in proportion to its
    /// memory, one vCPU at 1,769 MB (AWS Lambda developer guide, memory and computing power).
    /// </summary>
    public double CpuSlowdown => Math.Max(1.0, FullVcpuMemoryMb / (double)MemoryMb);

    /// <summary>The memory at which a Lambda function has the equivalent of one vCPU.</summary>
    public const int FullVcpuMemoryMb = 1769;
}

/// <summary>
/// The four functions as the CDK app deploys them (all arm64); the CDK tests check these figures against the
/// synthesized template, so the estimate cannot drift from the deployment unnoticed.
/// </summary>
public static class DeployedFunctions
{
    /// <summary>Every function runs on Graviton: the Arm duration price applies.</summary>
    public const string Architecture = "arm64";

    public static readonly LambdaFunction RegisterFile = new("RegisterFile", 256);
    public static readonly LambdaFunction ValidateStudents = new("ValidateStudents", 512);
    public static readonly LambdaFunction StoreStudents = new("StoreStudents", 1024);
    public static readonly LambdaFunction SummarizeRun = new("SummarizeRun", 1024);

    public static IReadOnlyList<LambdaFunction> All { get; } = [RegisterFile, ValidateStudents, StoreStudents, SummarizeRun];
}
