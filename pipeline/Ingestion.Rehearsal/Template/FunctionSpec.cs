namespace Ingestion.Rehearsal.Template;

/// <summary>One <c>AWS::Lambda::Function</c> of the template, references resolved.</summary>
/// <param name="PackageDirectory">The staged asset in <c>cdk.out</c> that would be zipped and uploaded.</param>
/// <param name="Variables">Exactly the environment variables the template sets.</param>
public sealed record FunctionSpec(
    string LogicalId,
    string Name,
    string Arn,
    string Runtime,
    string Architecture,
    string Handler,
    int MemoryMb,
    int TimeoutSeconds,
    string PackageDirectory,
    IReadOnlyDictionary<string, string> Variables);
